// CommandPreview: a read-only line with the CLI command equivalent to what
// the user is doing, and a Copy button, so a class sees what a click does.
// Used under the main window's pages and in each dialog (where it follows
// the fields as they are typed). Threading: UI thread.
#pragma once

#include <QWidget>

class QLineEdit;
class QToolButton;

namespace porthole::gui {

class CommandPreview : public QWidget {
    Q_OBJECT
public:
    explicit CommandPreview(QWidget *parent = nullptr);

    QString command() const;
    void setCommand(const QString &command);
    QLineEdit *lineEdit() const { return m_line; }
    QToolButton *copyButton() const { return m_copy; }

public Q_SLOTS:
    void copyToClipboard();

private:
    QLineEdit *m_line = nullptr;
    QToolButton *m_copy = nullptr;
};

} // namespace porthole::gui
