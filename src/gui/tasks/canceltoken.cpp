// SPDX-License-Identifier: GPL-3.0-or-later
#include "tasks/canceltoken.h"

CancelToken::CancelToken()
    : m_flag(std::make_shared<std::atomic_bool>(false))
{
}
