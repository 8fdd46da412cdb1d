// docker's per-layer progress for pull and push: on a terminal a live block
// of lines redrawn in place (at most ~10 times a second), with a bar and
// byte counts while bytes move; elsewhere one plain line per phase change.
// Main thread only; the engine's events arrive here through a lock.
#pragma once

#include "core/progress.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMutex>
#include <QStringList>
#include <QTextStream>

namespace porthole::cli {

class ProgressDisplay {
public:
    // quietPhases: phases that never get a plain line of their own ("Downloading").
    ProgressDisplay(QTextStream &out, bool live, QStringList quietPhases);
    void event(const ProgressEvent &e);
    // Draws the final state (live mode).
    void finish();

private:
    QString lineFor(const ProgressEvent &e) const;
    void redraw(bool force);

    QTextStream &m_out;
    bool m_live;
    QStringList m_quietPhases;
    QMutex m_mutex;
    QStringList m_order;                 // ids in the order they appeared
    QHash<QString, ProgressEvent> m_last; // the newest event per id
    int m_drawnLines = 0;
    QElapsedTimer m_sinceDraw;
};

} // namespace porthole::cli
