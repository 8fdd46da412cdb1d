// Text formatting that must read exactly like docker's, shared by the CLI and
// the GUI (library porthole_format, Qt Core only): sizes and ages from
// docker/go-units, short IDs from docker's stringid, Ellipsis from docker/cli's
// formatter, and the text/tabwriter settings every docker table uses.
//
// Free functions and a value type; no threads, no I/O.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace porthole::format {

// units.HumanSizeWithPrecision: decimal units (B, kB, MB ... YB) and Go's
// %.*g, so 999900 bytes at precision 3 reads "1e+03kB" as in docker.
QString humanSizeWithPrecision(double size, int precision);
// What `docker images` prints in SIZE: precision 3 ("0B", "4.26MB", "123MB").
QString humanSize(qint64 bytes);
// units.BytesSize: binary units (B, KiB, MiB ...) at 4 significant digits.
QString bytesSize(double size);

// units.HumanDuration for a whole number of seconds ("Less than a second",
// "About a minute", "3 hours", "2 weeks", "2 years"); negative reads as
// "Less than a second", as in Go.
QString humanDuration(qint64 seconds);
// docker's CREATED column: humanDuration(now - created) + " ago";
// empty when created is invalid.
QString timeAgo(const QDateTime &created, const QDateTime &now);

// stringid.TruncateID: what follows the algorithm ("sha256:"), cut to the
// 12 characters docker shows for image and container IDs.
QString shortId(const QString &id);

// Terminal columns a code point occupies: 2 for East Asian Wide and Fullwidth
// (Hangul, CJK, most emoji), 1 otherwise (as docker's charWidth; combining
// marks are not special-cased).
int charWidth(char32_t c);
int displayWidth(QStringView s);

// formatter.Ellipsis: cut s to maxDisplayWidth columns, the last being "…".
// Quirks kept on purpose: width 1 returns the first character whatever its
// width, and when even the first character is wider than maxDisplayWidth - 1
// the string comes back uncut.
QString ellipsis(const QString &s, int maxDisplayWidth);

// Go's text/tabwriter as docker configures it: NewWriter(out, 10, 1, 3, ' ', 0).
// Each row is one line; every cell but the last is a tab-terminated column
// cell, padded to max(minWidth, widest cell in its column block + padding);
// the last cell is written as is, with no trailing blanks.
//
// As in Go, a column block is the run of consecutive rows that have a cell in
// that column; a row with fewer cells ends the block, and the rows after it
// are aligned afresh. Difference from Go: widths count terminal columns
// (displayWidth), not runes, so Korean and CJK cells line up.
// Cells must not contain tabs or newlines.
class TableWriter {
public:
    explicit TableWriter(int minWidth = 10, int padding = 3)
        : m_minWidth(minWidth), m_padding(padding) {}

    void addRow(const QStringList &cells);
    // Every row followed by "\n".
    QString render() const;
    void clear() { m_rows.clear(); }

private:
    struct Cell {
        QString text;
        int width = 0;
    };
    void format(QString &out, QList<int> &widths, qsizetype line0, qsizetype line1) const;
    void writeLines(QString &out, const QList<int> &widths, qsizetype line0, qsizetype line1) const;

    QList<QList<Cell>> m_rows;
    int m_minWidth;
    int m_padding;
};

} // namespace porthole::format
