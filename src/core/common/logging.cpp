// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/logging.h"

Q_LOGGING_CATEGORY(lcDatabase, "cachescope.database", QtWarningMsg)
