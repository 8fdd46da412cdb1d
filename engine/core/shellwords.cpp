#include "core/shellwords.h"

namespace porthole {

using namespace Qt::StringLiterals;

QHash<QString, QString> envMap(const QStringList &env)
{
    QHash<QString, QString> m;
    for (const QString &e : env) {
        const qsizetype eq = e.indexOf(u'=');
        m.insert(eq < 0 ? e : e.left(eq), eq < 0 ? QString() : e.mid(eq + 1));
    }
    return m;
}

// Dockerfile parseWords: split at blanks outside quotes, keeping the quotes and
// escapes for the lexer to process afterwards.
QStringList dockerfileWords(QStringView rest)
{
    QStringList words;
    QString word;
    QChar quote;
    bool inWord = false;
    bool blankOk = false; // "" is a word
    for (qsizetype i = 0; i < rest.size(); ++i) {
        QChar c = rest[i];
        if (quote.isNull()) {
            if (c.isSpace()) {
                if (inWord && (blankOk || !word.isEmpty()))
                    words.append(word);
                word.clear();
                inWord = blankOk = false;
                continue;
            }
            inWord = true;
            if (c == u'\'' || c == u'"') {
                quote = c;
                blankOk = true;
            } else if (c == u'\\') {
                if (i + 1 == rest.size())
                    continue; // a trailing escape is dropped
                word += c;
                c = rest[++i];
            }
        } else if (c == quote) {
            quote = QChar();
        } else if (c == u'\\' && quote == u'"' && i + 1 < rest.size()) {
            word += c;
            c = rest[++i];
        }
        word += c;
    }
    if (inWord && (blankOk || !word.isEmpty()))
        words.append(word);
    return words;
}

} // namespace porthole
