#include "cli/progressdisplay.h"

#include "format/format.h"

namespace porthole::cli {

ProgressDisplay::ProgressDisplay(QTextStream &out, bool live, QStringList quietPhases)
    : m_out(out), m_live(live), m_quietPhases(std::move(quietPhases))
{
    m_sinceDraw.start();
}

QString ProgressDisplay::lineFor(const ProgressEvent &e) const
{
    QString line = e.id + QStringLiteral(": ") + e.phase;
    if (e.total > 0 && e.done < e.total && e.done > 0) {
        // docker's bar: 50 cells, '=' done, '>' the head.
        const int cells = int(50 * e.done / e.total);
        QString bar = QString(cells, u'=');
        if (cells < 50)
            bar += u'>' + QString(49 - cells, u' ');
        line += QStringLiteral(" [%1]  %2/%3").arg(bar, format::humanSize(e.done), format::humanSize(e.total));
    }
    return line;
}

void ProgressDisplay::redraw(bool force)
{
    if (!force && m_sinceDraw.elapsed() < 100)
        return;
    m_sinceDraw.restart();
    if (m_drawnLines > 0)
        m_out << "\x1b[" << m_drawnLines << "A"; // back to the block's first line
    for (const QString &id : m_order)
        m_out << "\r\x1b[2K" << lineFor(m_last.value(id)) << '\n';
    m_drawnLines = int(m_order.size());
    m_out.flush();
}

void ProgressDisplay::event(const ProgressEvent &e)
{
    QMutexLocker lock(&m_mutex);
    const bool known = m_last.contains(e.id);
    const QString previousPhase = known ? m_last.value(e.id).phase : QString();
    if (!known)
        m_order.append(e.id);
    m_last.insert(e.id, e);
    if (m_live) {
        redraw(!known || previousPhase != e.phase);
        return;
    }
    if (m_quietPhases.contains(e.phase) || previousPhase == e.phase)
        return;
    m_out << e.id << ": " << e.phase << '\n';
    m_out.flush();
}

void ProgressDisplay::finish()
{
    QMutexLocker lock(&m_mutex);
    if (m_live && !m_order.isEmpty())
        redraw(true);
}

} // namespace porthole::cli
