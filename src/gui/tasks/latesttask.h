// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tasks/canceltoken.h"

// LatestTask: which of an owner's successive background tasks is still wanted (a page read,
// a summary, an open: each newer one supersedes the one before). start() cancels the current
// task's token and returns a new one; drop() cancels the current one with no successor. A
// result is applied only while isCurrent(the token its task was started with): the result of
// a superseded task is dropped. A task cancelled by the user (cancelCurrent) stays current, so
// its "cancelled" result is still shown. GUI thread.
class LatestTask {
public:
    CancelToken start();
    void drop();
    void cancelCurrent() const { m_current.cancel(); }
    bool isCurrent(const CancelToken& token) const { return token.sameAs(m_current); }
    // For work that belongs to the current task without superseding it (a follow-up read).
    const CancelToken& current() const { return m_current; }

private:
    CancelToken m_current;
};
