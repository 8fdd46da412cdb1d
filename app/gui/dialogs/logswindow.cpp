#include "gui/dialogs/logswindow.h"

#include "gui/dialogs/formutil.h"
#include "service/engineservice.h"

#include <QCheckBox>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

namespace porthole::gui {

// A burst of writes becomes one read this long after the first change.
static constexpr int kDebounceMs = 150;

LogsWindow::LogsWindow(service::EngineService *service, const service::ContainerRow &container, int tailLines, QWidget *parent)
    : QWidget(parent, Qt::Window), m_service(service), m_name(container.name.isEmpty() ? container.id.left(12) : container.name),
      m_tail(tailLines)
{
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Logs of %1").arg(m_name));
    m_status = makeNoteLabel(this);
    m_status->setText(tr("Reading the log…"));
    m_follow = new QCheckBox(tr("&Follow: show new lines as the container writes them"), this);
    m_follow->setChecked(true);
    m_text = new QPlainTextEdit(this);
    m_text->setReadOnly(true);
    m_text->setAccessibleName(tr("Log of %1").arg(m_name));
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setMaximumBlockCount(std::max(10000, tailLines * 2));
    m_text->setTabChangesFocus(true);
    m_watcher = new QFileSystemWatcher(this);
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_follow);

    connect(m_debounce, &QTimer::timeout, this, &LogsWindow::reload);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &LogsWindow::scheduleReload);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogsWindow::scheduleReload);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            reload(); // what was written while it was off
    });
    const QFontMetrics fm(m_text->font());
    resize(fm.averageCharWidth() * 110, fm.lineSpacing() * 36);
    reload();
}

QString LogsWindow::statusText() const { return m_status->text(); }

QString LogsWindow::displayText(const QByteArray &raw)
{
    // CSI (colours, cursor), OSC (window titles) and two-byte escapes.
    static const QRegularExpression escapes(
        QStringLiteral("\\x1b\\[[0-9;?<=>]*[ -/]*[@-~]|\\x1b\\][^\\x07\\x1b]*(\\x07|\\x1b\\\\)|\\x1b[@-Z\\\\-_]"));
    QString text = QString::fromUtf8(raw);
    text.remove(escapes);
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    text.remove(u'\r');
    return text;
}

void LogsWindow::scheduleReload()
{
    if (m_follow->isChecked() && !m_debounce->isActive())
        m_debounce->start();
}

void LogsWindow::reload()
{
    if (m_inFlight) {
        m_dirty = true;
        return;
    }
    // The first read is the user's click; the follow-ups are the view's own.
    auto *job = m_service->containerLog(m_name, m_tail, m_reads > 0);
    m_inFlight = true;
    connect(job, &service::Job::finished, this, [this, job] { onFinished(*job); });
}

void LogsWindow::onFinished(const service::TypedJob<service::ContainerLog> &job)
{
    m_inFlight = false;
    if (job.result()) {
        apply(*job.result());
    } else if (!job.cancelled()) {
        setError(m_status, tr("Could not read the log of %1: %2").arg(m_name, job.result().error().message));
        return;
    }
    if (m_dirty) {
        m_dirty = false;
        scheduleReload();
    }
}

void LogsWindow::apply(const service::ContainerLog &log)
{
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    const qsizetype added = log.totalLines - m_total;
    QByteArray raw;
    if (m_reads > 0 && added >= 0 && added <= log.lines.size()) {
        for (qsizetype i = log.lines.size() - added; i < log.lines.size(); ++i)
            raw += log.lines[i].text;
        if (!raw.isEmpty()) {
            QTextCursor end(m_text->document());
            end.movePosition(QTextCursor::End);
            end.insertText(displayText(raw));
        }
    } else {
        for (const runtime::LogLine &line : log.lines)
            raw += line.text;
        m_text->setPlainText(displayText(raw));
    }
    if (atEnd || m_reads == 0)
        bar->setValue(bar->maximum());
    m_total = log.totalLines;
    ++m_reads;
    m_status->setText(log.totalLines > log.lines.size()
                          ? tr("The last %n line(s) of the log.", nullptr, int(log.lines.size()))
                          : tr("The whole log: %n line(s).", nullptr, int(log.lines.size())));
    watch(log.path);
    Q_EMIT logRead();
}

void LogsWindow::watch(const QString &path)
{
    // The file is dropped from the watch when it is renamed (rotation) and
    // is missing before the first start; the directory tells of both.
    const QString dir = QFileInfo(path).absolutePath();
    if (!m_watcher->directories().contains(dir))
        m_watcher->addPath(dir);
    if (QFileInfo::exists(path) && !m_watcher->files().contains(path))
        m_watcher->addPath(path);
}

} // namespace porthole::gui
