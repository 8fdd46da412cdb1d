// LogsWindow: a container's log, read-only, following it as it grows. The
// log is read by EngineService::containerLog jobs (the last tailLines lines
// first, then again when the file changes); a QFileSystemWatcher on the log
// file and its directory (the file appears on the first start and rotates
// to container.log.1) says when, so nothing polls. Changes that arrive while
// a read is out are coalesced into one more read after it. New lines are
// appended (the reader's selection and scroll stay); a rotation, which
// renumbers the lines, redraws the whole text.
// Threading: UI thread; the service must outlive the window.
#pragma once

#include "service/containertypes.h"

#include <QWidget>

class QCheckBox;
class QFileSystemWatcher;
class QLabel;
class QPlainTextEdit;
class QTimer;

namespace porthole::service {
class EngineService;
struct ContainerLog;
template <typename T>
class TypedJob;
}

namespace porthole::gui {

class LogsWindow : public QWidget {
    Q_OBJECT
public:
    LogsWindow(service::EngineService *service, const service::ContainerRow &container, int tailLines = 1000,
               QWidget *parent = nullptr);

    QPlainTextEdit *textView() const { return m_text; }
    QCheckBox *followBox() const { return m_follow; }
    QFileSystemWatcher *watcher() const { return m_watcher; }
    int reads() const { return m_reads; } // results shown so far
    QString statusText() const;

    // A log's text for the screen: CR LF as LF, terminal escape sequences
    // (colours, cursor moves) removed, invalid UTF-8 replaced.
    static QString displayText(const QByteArray &raw);

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    void logRead();

private:
    void onFinished(const service::TypedJob<service::ContainerLog> &job);
    void apply(const service::ContainerLog &log);
    void watch(const QString &path);
    void scheduleReload();

    service::EngineService *m_service;
    QString m_name;
    int m_tail;
    bool m_inFlight = false;
    bool m_dirty = false;
    int m_reads = 0;
    qsizetype m_total = 0; // lines the log had at the last read
    QLabel *m_status;
    QCheckBox *m_follow;
    QPlainTextEdit *m_text;
    QFileSystemWatcher *m_watcher;
    QTimer *m_debounce;
};

} // namespace porthole::gui
