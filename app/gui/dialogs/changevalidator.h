// Checks `--change` instructions as they are typed in the commit dialog. It
// applies each line to an empty image config with the engine's own change
// code (core/imagechange.h, a pure function: no Engine, no I/O), so the
// dialog refuses exactly what `porthole commit --change` would refuse.
// Any thread.
#pragma once

#include <QList>
#include <QString>

namespace porthole::gui {

// Why the instruction is refused (the engine's sentence), or empty.
QString changeLineError(const QString &instruction);

struct ChangeProblem {
    int line = 0; // 1-based, in the editor's text
    QString error;
};

// Checks every non-blank line of an editor's text, one instruction a line.
QList<ChangeProblem> checkChangeLines(const QString &text);

} // namespace porthole::gui
