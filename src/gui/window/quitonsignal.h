// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

// QuitOnSignal: turns SIGINT, SIGTERM and SIGHUP (Ctrl-C in the terminal that launched the GUI,
// a logout, `kill`) into QCoreApplication::quit(), so the normal shutdown runs: the cache
// connection closes and --demo removes its writers and temporary files. The handler only
// writes a byte to a socketpair (async-signal-safe); the GUI thread does the rest. If that has
// not ended the process 5 s after the first signal (the GUI thread stuck in a long layout or
// read), SIGALRM removes this process's private copies and ends it at once.
class QuitOnSignal : public QObject {
    Q_OBJECT
public:
    explicit QuitOnSignal(QObject* parent = nullptr);
    ~QuitOnSignal() override;
    // The signal that asked us to quit, or 0.
    int receivedSignal() const { return m_received; }

private:
    QSocketNotifier* m_notifier = nullptr;
    int m_received = 0;
};
