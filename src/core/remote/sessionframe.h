// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QStringList>

#include <optional>

// SessionFrame: what `cachescope-cli serve DB` reads and writes (docs/CLI.md, "serve"). A
// request is one line, a JSON object {"id": N, "args": ["entries", "--json", …]} — a command and
// its arguments without the database, which serve puts after the command's name. Its answer is
// one header line {"id": N, "exit_code": C, "stdout_bytes": O, "stderr_bytes": E} followed by
// exactly O bytes of the command's standard output and E bytes of its standard error, as the
// command printed them (its --json output is the JSON contract, byte for byte). Answers come
// in the order the commands finish, each named by its request's id.
struct SessionFrame {
    static constexpr qsizetype MaxRequestBytes = 1 << 20;
    static constexpr qsizetype MaxHeaderBytes = 4096;

    qint64 id = 0;
    QStringList args; // a request's
    int exitCode = 0; // an answer's, and its output:
    QByteArray out;
    QByteArray err;

    static QByteArray request(qint64 id, const QStringList& args);
    // One request line (without its newline): Error with the reason when it is not one.
    static Result<SessionFrame> fromRequest(const QByteArray& line);
    static QByteArray answer(qint64 id, int exitCode, const QByteArray& out, const QByteArray& err);
    // Takes one whole answer off the front of pending: nullopt while it has not all arrived;
    // Error when pending does not start with an answer (the session is then unusable).
    static std::optional<Result<SessionFrame>> takeAnswer(QByteArray& pending);
};
