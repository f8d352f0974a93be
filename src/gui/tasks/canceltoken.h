// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <memory>

// CancelToken: one background task's stop request, a flag shared by the GUI thread that asks
// and the worker that checks it between two short statements. Copies share the flag, so the
// owner keeps one and the worker's lambda captures another; a new token is not cancelled.
// Any thread.
class CancelToken {
public:
    CancelToken();

    void cancel() const { m_flag->store(true); }
    bool isCancelled() const { return m_flag->load(); }
    // For core calls that take a stop flag (CacheSummary::gather, EntryExport::run, Prune…).
    const std::atomic_bool& flag() const { return *m_flag; }
    // True when both are copies of the same token.
    bool sameAs(const CancelToken& other) const { return m_flag == other.m_flag; }

private:
    std::shared_ptr<std::atomic_bool> m_flag;
};
