// Small pieces the dialogs share: one-entry-per-line list editors, sized by
// font metrics (never by pixels), and button texts that go through tr() so
// a Korean window has no English buttons even without Qt's own catalogue.
// Threading: UI thread.
#pragma once

#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QPlainTextEdit;
class QWidget;

namespace porthole::gui {

// The trimmed, non-empty lines of a text.
QStringList nonEmptyLines(const QString &text);

// A plain-text editor for a list, one entry per line, about `lines` high.
QPlainTextEdit *makeListEdit(QWidget *parent, const QString &placeholder, const QString &accessibleName, int lines = 3);

// A word-wrapped label for a hint or an error; the caller decides which.
QLabel *makeNoteLabel(QWidget *parent);
// Shows `text` in an error label, or hides it when empty. Errors are
// marked by an icon and words, not by a colour the palette may not have.
void setError(QLabel *label, const QString &text);

// Gives Ok/Cancel/Close buttons of the box translated texts.
void translateButtons(QDialogButtonBox *box, const QString &okText = {});

// A width for a line edit that shows about `chars` average characters.
int textWidth(const QWidget *widget, int chars);

} // namespace porthole::gui
