#include "gui/dialogs/changevalidator.h"

#include "core/imagechange.h"
#include "core/imageconfig.h"

#include <QStringList>

namespace porthole::gui {

QString changeLineError(const QString &instruction)
{
    ImageConfig scratch;
    const Status status = applyChange(scratch, instruction);
    return status ? QString() : status.error().message;
}

QList<ChangeProblem> checkChangeLines(const QString &text)
{
    QList<ChangeProblem> problems;
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        if (const QString why = changeLineError(lines[i].trimmed()); !why.isEmpty())
            problems.append({int(i) + 1, why});
    }
    return problems;
}

} // namespace porthole::gui
