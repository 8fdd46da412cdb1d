// Dockerfile word processing, as moby's shell.Lex and parseWords do it:
// quotes removed, backslash escapes, $VAR and ${VAR[:]-+? word} expanded from
// an environment. Used by the --change instructions (and, later, the
// Dockerfile builder). Value types; any thread.
#pragma once

#include "core/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace porthole {

class DockerfileLexer {
public:
    explicit DockerfileLexer(QHash<QString, QString> env) : m_env(std::move(env)) {}

    // One word: unquoted blanks are kept (ENV legacy values, USER, WORKDIR).
    Result<QString> word(QStringView in) const
    {
        PH_TRY(QStringList w, run(in, false));
        return w.value(0);
    }
    // Split at unquoted blanks, including blanks produced by an unquoted
    // expansion (EXPOSE $PORTS with PORTS="80 443").
    Result<QStringList> words(QStringView in) const { return run(in, true); }

private:
    static bool isNameChar(QChar c) { return c.isLetterOrNumber() || c == u'_'; }

    Result<QStringList> run(QStringView in, bool split) const
    {
        QStringList out;
        QString cur;
        bool inWord = false;
        auto flush = [&] {
            if (inWord)
                out.append(cur);
            cur.clear();
            inWord = false;
        };
        const qsizetype n = in.size();
        qsizetype i = 0;
        while (i < n) {
            const QChar c = in[i];
            if (c == u'\'') {
                const qsizetype end = in.indexOf(u'\'', i + 1);
                if (end < 0)
                    return Error(ErrorCode::InvalidArgument,
                                 QStringLiteral("unexpected end of statement while looking for matching single-quote"));
                cur += in.mid(i + 1, end - i - 1);
                inWord = true;
                i = end + 1;
            } else if (c == u'"') {
                PH_TRY(i, doubleQuoted(in, i + 1, cur));
                inWord = true;
            } else if (c == u'\\') {
                if (i + 1 < n) {
                    cur += in[i + 1];
                    inWord = true;
                }
                i += 2;
            } else if (c == u'$') {
                PH_TRY(const QString value, dollar(in, i));
                for (QChar v : value) {
                    if (split && v.isSpace()) {
                        flush();
                    } else {
                        cur += v;
                        inWord = true;
                    }
                }
            } else if (split && c.isSpace()) {
                flush();
                ++i;
            } else {
                cur += c;
                inWord = true;
                ++i;
            }
        }
        if (!split)
            return QStringList{cur};
        flush();
        return out;
    }

    // From just after an opening '"'; returns the index after the closing one.
    Result<qsizetype> doubleQuoted(QStringView in, qsizetype i, QString &cur) const
    {
        while (i < in.size()) {
            const QChar c = in[i];
            if (c == u'"')
                return i + 1;
            if (c == u'\\' && i + 1 < in.size()
                && (in[i + 1] == u'"' || in[i + 1] == u'$' || in[i + 1] == u'\\')) {
                cur += in[i + 1]; // only these are escapes inside "..."; other backslashes stay
                i += 2;
            } else if (c == u'$') {
                PH_TRY(const QString value, dollar(in, i));
                cur += value;
            } else {
                cur += c;
                ++i;
            }
        }
        return Error(ErrorCode::InvalidArgument, QStringLiteral("unexpected end of statement while looking for matching double-quote"));
    }

    // At a '$'; advances i past the reference and returns its value.
    Result<QString> dollar(QStringView in, qsizetype &i) const
    {
        const qsizetype n = in.size();
        ++i;
        if (i < n && in[i] == u'{') {
            ++i;
            const qsizetype nameStart = i;
            while (i < n && isNameChar(in[i]))
                ++i;
            const QString name = in.mid(nameStart, i - nameStart).toString();
            if (i < n && in[i] == u'}') {
                ++i;
                return m_env.value(name);
            }
            const bool colon = i < n && in[i] == u':';
            if (colon)
                ++i;
            if (name.isEmpty() || i >= n || !(in[i] == u'-' || in[i] == u'+' || in[i] == u'?'))
                return Error(ErrorCode::InvalidArgument,
                             QStringLiteral("bad substitution \"%1\"").arg(in.mid(nameStart - 2).toString()));
            const QChar modifier = in[i++];
            const qsizetype wordStart = i;
            int depth = 0;
            for (; i < n; ++i) {
                if (in[i] == u'\\') {
                    ++i;
                } else if (in[i] == u'$' && i + 1 < n && in[i + 1] == u'{') {
                    ++depth;
                } else if (in[i] == u'}') {
                    if (depth == 0)
                        break;
                    --depth;
                }
            }
            if (i >= n)
                return Error(ErrorCode::InvalidArgument, QStringLiteral("missing '}' in \"${%1\"").arg(name));
            const QStringView rawWord = in.mid(wordStart, i - wordStart);
            ++i;
            const bool set = m_env.contains(name);
            const QString value = m_env.value(name);
            const bool missing = colon ? value.isEmpty() : !set;
            if (modifier == u'-')
                return missing ? word(rawWord) : Result<QString>(value);
            if (modifier == u'+')
                return missing ? Result<QString>(QString()) : word(rawWord);
            if (missing) {
                PH_TRY(const QString message, word(rawWord));
                return Error(ErrorCode::InvalidArgument,
                             name + QStringLiteral(": ") + (message.isEmpty() ? QStringLiteral("is not allowed to be unset") : message));
            }
            return value;
        }
        const qsizetype nameStart = i;
        while (i < n && isNameChar(in[i]))
            ++i;
        if (i == nameStart)
            return QStringLiteral("$"); // a lone '$' is literal
        return m_env.value(in.mid(nameStart, i - nameStart).toString());
    }

    QHash<QString, QString> m_env;
};

// "KEY=VALUE" entries as a map (a bare KEY maps to "").
QHash<QString, QString> envMap(const QStringList &env);

// Split at blanks outside quotes, keeping quotes and escapes for the lexer.
QStringList dockerfileWords(QStringView rest);

} // namespace porthole
