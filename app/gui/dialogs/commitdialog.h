// CommitDialog: makes a CommitRequest for one container: the new image's
// name (suggested from the container's image and name), author (from the
// settings), message, --change instructions checked line by line as they
// are typed, and the pause option. The equivalent command follows the
// fields. The caller submits request() to EngineService::commit.
// Threading: UI thread.
#pragma once

#include "service/containertypes.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace porthole::gui {

class CommandPreview;

class CommitDialog : public QDialog {
    Q_OBJECT
public:
    CommitDialog(const service::ContainerRow &container, const QString &author, QWidget *parent = nullptr);

    service::CommitRequest request() const;
    QString commandLine() const;
    // Why the request cannot be made, or empty.
    QString validationError() const;

    QLineEdit *referenceEdit() const { return m_reference; }
    QLineEdit *authorEdit() const { return m_author; }
    QLineEdit *messageEdit() const { return m_message; }
    QPlainTextEdit *changesEdit() const { return m_changes; }
    QCheckBox *pauseBox() const { return m_pause; }

private:
    void update();
    void markBadLines();

    QString m_container;
    QLineEdit *m_reference = nullptr;
    QLineEdit *m_author = nullptr;
    QLineEdit *m_message = nullptr;
    QPlainTextEdit *m_changes = nullptr;
    QCheckBox *m_pause = nullptr;
    QLabel *m_error = nullptr;
    CommandPreview *m_command = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

// "localhost/demo:web" for a container "web" of "localhost/demo:latest": the
// image's repository with the container's name as the tag. An image named
// by ID gives the container's name (lower-cased) as the repository.
QString suggestedCommitName(const QString &image, const QString &containerName);

// Why `text` is not a REPOSITORY[:TAG] to commit to, or empty (also for an
// empty text: a dangling image).
QString commitReferenceError(const QString &text);

} // namespace porthole::gui
