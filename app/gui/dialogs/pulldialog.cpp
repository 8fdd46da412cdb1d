#include "gui/dialogs/pulldialog.h"

#include "format/format.h"
#include "gui/dialogs/commandpreview.h"
#include "gui/dialogs/formutil.h"
#include "service/clicommand.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace porthole::gui {

PullDialog::PullDialog(service::EngineService *service, const QStringList &insecureRegistries, QWidget *parent)
    : QDialog(parent), m_service(service), m_insecure(insecureRegistries)
{
    setWindowTitle(tr("Pull an image"));
    auto *form = new QFormLayout;
    m_reference = new QLineEdit(this);
    m_reference->setPlaceholderText(tr("for example alpine:latest or localhost:5000/app:1.0"));
    m_reference->setMinimumWidth(textWidth(this, 45));
    form->addRow(tr("&Image:"), m_reference);
    m_platform = new QComboBox(this);
    m_platform->setEditable(true);
    m_platform->addItem(tr("This machine's"), QString());
    for (const char *p : {"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"})
        m_platform->addItem(QString::fromLatin1(p), QString::fromLatin1(p));
    m_platform->setAccessibleName(tr("Platform"));
    form->addRow(tr("&Platform:"), m_platform);

    m_command = new CommandPreview(this);

    // One row per layer: its short ID, what is happening, a bar.
    auto *itemsWidget = new QWidget;
    m_grid = new QGridLayout(itemsWidget);
    m_grid->setColumnStretch(1, 1);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(itemsWidget);
    m_scroll->setWidgetResizable(true);
    m_scroll->setMinimumHeight(fontMetrics().lineSpacing() * 6);
    m_scroll->setAccessibleName(tr("Layer progress"));
    m_scroll->hide();

    m_status = makeNoteLabel(this);
    m_status->hide();

    auto *buttons = new QDialogButtonBox(this);
    m_pull = buttons->addButton(tr("&Pull"), QDialogButtonBox::ActionRole);
    m_pull->setDefault(true);
    m_cancel = buttons->addButton(tr("Cancel pull"), QDialogButtonBox::ActionRole);
    m_cancel->setEnabled(false);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    translateButtons(buttons);
    m_close->setToolTip(tr("Close this window; a running pull goes on and the Jobs page shows it."));
    connect(m_pull, &QPushButton::clicked, this, &PullDialog::startPull);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
        m_cancel->setEnabled(false);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_command);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_reference, &QLineEdit::textChanged, this, &PullDialog::updateFields);
    connect(m_platform, &QComboBox::currentTextChanged, this, &PullDialog::updateFields);
    updateFields();
}

service::PullRequest PullDialog::request() const
{
    service::PullRequest r;
    r.reference = m_reference->text().trimmed();
    // An item picked from the list carries its value; typed text is the value.
    const int index = m_platform->currentIndex();
    const bool picked = index >= 0 && m_platform->itemText(index) == m_platform->currentText();
    r.platform = picked ? m_platform->itemData(index).toString() : m_platform->currentText().trimmed();
    r.insecureRegistries = m_insecure;
    return r;
}

QString PullDialog::commandLine() const { return service::cliCommand(request()); }

QProgressBar *PullDialog::itemBar(const QString &itemId) const
{
    return m_items.value(itemId);
}

QString PullDialog::statusText() const { return m_status->isHidden() ? QString() : m_status->text(); }

void PullDialog::updateFields()
{
    m_command->setCommand(commandLine());
    m_pull->setEnabled(!m_running && !m_reference->text().trimmed().isEmpty());
}

void PullDialog::startPull()
{
    if (!m_service || m_running || m_reference->text().trimmed().isEmpty())
        return;
    // A second pull from the same dialog starts with a clean list.
    qDeleteAll(m_scroll->widget()->findChildren<QWidget *>(Qt::FindDirectChildrenOnly));
    m_items.clear();
    m_running = true;
    m_reference->setEnabled(false);
    m_platform->setEnabled(false);
    m_cancel->setEnabled(true);
    m_scroll->show();
    m_status->setText(tr("Pulling %1…").arg(request().reference));
    m_status->show();
    updateFields();
    auto *job = m_service->pull(request());
    m_job = job;
    m_jobId = job->id();
    connect(job, &service::Job::progressed, this, [this, job] { showProgress(job->status().items); });
    connect(job, &service::Job::finished, this, [this, job] {
        showProgress(job->status().items);
        showOutcome(job->result());
    });
    Q_EMIT pullStarted(job);
}

void PullDialog::showProgress(const QList<ProgressEvent> &items)
{
    if (!items.isEmpty())
        m_scroll->show();
    for (const ProgressEvent &item : items) {
        QProgressBar *bar = m_items.value(item.id);
        if (!bar) {
            const int row = m_grid->rowCount();
            auto *id = new QLabel(item.id, m_scroll->widget());
            id->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            bar = new QProgressBar(m_scroll->widget());
            bar->setAccessibleName(tr("Layer %1").arg(item.id));
            bar->setMinimumWidth(textWidth(this, 36));
            m_grid->addWidget(id, row, 0);
            m_grid->addWidget(bar, row, 1);
            m_items.insert(item.id, bar);
        }
        const QString &phase = item.phase; // the engine's word: "Downloading", "Already exists"
        if (item.total > 0) {
            bar->setRange(0, 1000);
            bar->setValue(int(std::min<qint64>(item.done, item.total) * 1000 / item.total));
            bar->setFormat(tr("%1: %2 of %3").arg(phase, format::humanSize(item.done), format::humanSize(item.total)));
        } else {
            // No size: the bar only says whether the whole pull is done
            // (showOutcome fills it).
            bar->setRange(0, 1);
            bar->setValue(0);
            bar->setFormat(phase);
        }
    }
}

void PullDialog::showOutcome(const Result<service::PullOutcome> &outcome)
{
    m_running = false;
    m_cancel->setEnabled(false);
    m_reference->setEnabled(true);
    m_platform->setEnabled(true);
    if (outcome) {
        const QString name = outcome->familiarName.isEmpty() ? request().reference : outcome->familiarName;
        m_status->setText(outcome->upToDate ? tr("%1 is up to date.").arg(name) : tr("Pulled %1.").arg(name));
        for (QProgressBar *bar : std::as_const(m_items)) {
            bar->setMaximum(std::max(bar->maximum(), 1));
            bar->setValue(bar->maximum());
        }
    } else if (outcome.error().code == ErrorCode::Cancelled) {
        m_status->setText(tr("The pull was cancelled; nothing of it was kept."));
    } else {
        setError(m_status, outcome.error().message);
    }
    m_status->show();
    updateFields();
}

} // namespace porthole::gui
