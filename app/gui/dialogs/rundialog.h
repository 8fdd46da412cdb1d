// RunDialog: makes the CreateRequest of `porthole run -d`: the image, a
// name, the command, environment, volumes, ports (one per line, each line
// checked as it is typed), the network, the common limits (memory, CPUs,
// processes) and -i/-t. The equivalent command
// follows the fields. The caller submits request() to EngineService::run.
// Threading: UI thread.
#pragma once

#include "service/containertypes.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace porthole::gui {

class CommandPreview;

class RunDialog : public QDialog {
    Q_OBJECT
public:
    RunDialog(const QString &image, QWidget *parent = nullptr);

    service::CreateRequest request() const;
    QString commandLine() const;
    // Why the request cannot be made, or empty.
    QString validationError() const;

    QLineEdit *imageEdit() const { return m_image; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *commandEdit() const { return m_command; }
    QPlainTextEdit *envEdit() const { return m_env; }
    QPlainTextEdit *volumesEdit() const { return m_volumes; }
    QPlainTextEdit *portsEdit() const { return m_ports; }
    QComboBox *networkBox() const { return m_network; }
    QLineEdit *memoryEdit() const { return m_memory; }
    QDoubleSpinBox *cpusBox() const { return m_cpus; }
    QSpinBox *pidsLimitBox() const { return m_pidsLimit; }
    QCheckBox *interactiveBox() const { return m_interactive; }
    QCheckBox *ttyBox() const { return m_tty; }
    QCheckBox *autoRemoveBox() const { return m_autoRemove; }

private:
    void update();
    void addFolder();

    QLineEdit *m_image = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_command = nullptr;
    QPlainTextEdit *m_env = nullptr;
    QPlainTextEdit *m_volumes = nullptr;
    QPlainTextEdit *m_ports = nullptr;
    QComboBox *m_network = nullptr;
    QLineEdit *m_memory = nullptr;
    QDoubleSpinBox *m_cpus = nullptr;
    QSpinBox *m_pidsLimit = nullptr;
    QCheckBox *m_interactive = nullptr;
    QCheckBox *m_tty = nullptr;
    QCheckBox *m_autoRemove = nullptr;
    QLabel *m_error = nullptr;
    CommandPreview *m_preview = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

// Checks of one entry each; they return why it is refused, or empty. The
// engine checks again; these catch typing mistakes before a click.
QString containerNameError(const QString &name);
QString envEntryError(const QString &entry);
QString volumeEntryError(const QString &entry);
QString portEntryError(const QString &entry);
QString memoryEntryError(const QString &entry); // -m: a docker size ("512m") of at least 6 MiB, or empty

// Splits a command as a POSIX shell would, without expanding anything:
// '...' literal, "..." with \\ \" \$ \` escapes, \ escapes one character
// outside quotes. Sets *unbalanced when a quote is not closed.
QStringList splitShellWords(const QString &text, bool *unbalanced = nullptr);

} // namespace porthole::gui
