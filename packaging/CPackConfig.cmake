# SPDX-License-Identifier: GPL-3.0-or-later
# Desktop integration and a Debian package: `cpack -G DEB` in the build directory.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/${CACHESCOPE_APP_ID}.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/${CACHESCOPE_APP_ID}.metainfo.xml DESTINATION share/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/cachescope.svg DESTINATION share/icons/hicolor/scalable/apps
        RENAME ${CACHESCOPE_APP_ID}.svg)
install(FILES ${PROJECT_SOURCE_DIR}/resources/cachescope.png DESTINATION share/icons/hicolor/128x128/apps
        RENAME ${CACHESCOPE_APP_ID}.png)

set(CPACK_PACKAGE_NAME "cachescope")
set(CPACK_PACKAGE_VENDOR "CacheScope")
set(CPACK_PACKAGE_CONTACT "CacheScope developers <cachescope@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
# QSQLITE and the platform plugins are only Recommends of Qt's packages: name them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libqt6core6 (>= 6.4), libqt6gui6 (>= 6.4), libqt6widgets6 (>= 6.4), libqt6sql6 (>= 6.4), libqt6sql6-sqlite, qt6-qpa-plugins, libqt6charts6, libsqlite3-0")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
include(CPack)
