// SPDX-License-Identifier: GPL-3.0-or-later
#include "scratchdir.h"

namespace TestSupport {

bool ScratchDir::renew()
{
    m_dir = std::make_unique<QTemporaryDir>();
    return m_dir->isValid();
}

} // namespace TestSupport
