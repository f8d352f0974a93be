# SPDX-License-Identifier: GPL-3.0-or-later
# Desktop integration and a Debian package: `./setup.sh package` (a Release build in
# build-release/, then `cpack -G DEB`). Lintian-clean: stripped binaries, shlibdeps, copyright,
# changelog, manual pages, bash completion, AppStream content rating, MIME association.
include(GNUInstallDirs)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/${CACHESCOPE_APP_ID}.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/${CACHESCOPE_APP_ID}.metainfo.xml DESTINATION share/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/cachescope.svg DESTINATION share/icons/hicolor/scalable/apps
        RENAME ${CACHESCOPE_APP_ID}.svg)
install(FILES ${PROJECT_SOURCE_DIR}/resources/cachescope.png DESTINATION share/icons/hicolor/128x128/apps
        RENAME ${CACHESCOPE_APP_ID}.png)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/bash-completion/cachescope-cli
        DESTINATION share/bash-completion/completions)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION share/doc/cachescope)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides DESTINATION share/lintian/overrides RENAME cachescope)

# Debian wants manual pages and the changelog compressed with gzip -9n (no name, no timestamp).
find_program(GZIP_PROGRAM gzip REQUIRED)
set(packaging_out ${PROJECT_BINARY_DIR}/packaging)
set(packaging_gz)
foreach(source man/cachescope.1 man/cachescope-cli.1 changelog.Debian)
  get_filename_component(name ${source} NAME)
  add_custom_command(OUTPUT ${packaging_out}/${name}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${packaging_out}
    COMMAND ${GZIP_PROGRAM} -9nc ${PROJECT_SOURCE_DIR}/packaging/${source} > ${packaging_out}/${name}.gz
    DEPENDS ${PROJECT_SOURCE_DIR}/packaging/${source} VERBATIM)
  list(APPEND packaging_gz ${packaging_out}/${name}.gz)
endforeach()
add_custom_target(packaging_files ALL DEPENDS ${packaging_gz})
install(FILES ${packaging_out}/cachescope.1.gz ${packaging_out}/cachescope-cli.1.gz DESTINATION share/man/man1)
install(FILES ${packaging_out}/changelog.Debian.gz DESTINATION share/doc/cachescope)

set(CPACK_PACKAGE_NAME "cachescope")
set(CPACK_PACKAGE_VENDOR "CacheScope")
set(CPACK_PACKAGE_CONTACT "CacheScope developers <cachescope@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "inspect live multi-process SQLite caches")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
# A Debian revision (0.1.0-1): a non-native package, whose changelog is changelog.Debian.gz.
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/cachescope/cachescope")
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY first (the synopsis) and turns empty lines into " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "CacheScope opens an SQLite cache written by several processes at once (LLM
response caches, diskcache, requests-cache, LangChain, GPTCache, sqlitedict)
and shows its journal mode, the sizes of its -wal and -shm files, which
processes hold its locks and write to it, checkpoint progress, and its entries
in the terms of the cache format.

It switches caches to WAL mode, checkpoints, vacuums and deletes them safely
(never while another process has them open), runs read-only SQL queries that
never pin the WAL, and reproduces the database-is-locked error with a
concurrent writer simulator. The package has the Qt GUI (cachescope) and a
command-line tool with JSON output for scripts (cachescope-cli).")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# QSQLITE and the platform plugins are loaded at run time (dlopen): shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
