#include "format/format.h"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace porthole::format {

namespace {

// Go's %.*g: the same digits, rounding (ties to even on exact halves) and
// "e+03" exponents as C's %g. std::to_chars is specified "as if by printf in
// the C locale", so a German LC_NUMERIC cannot turn "4.26" into "4,26".
QString goFormatG(double value, int precision)
{
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general,
                                   std::max(precision, 1));
    return QString::fromLatin1(buf, res.ptr - buf);
}

QString customSize(double size, double base, const char *const *units, int unitCount, int precision)
{
    int i = 0;
    while (size >= base && i < unitCount - 1) {
        size /= base;
        ++i;
    }
    return goFormatG(size, precision) + QLatin1String(units[i]);
}

// East Asian Width W and F ranges (Unicode 14, from Python's unicodedata,
// merged over unassigned gaps), plus the CJK blocks whose unassigned points
// default to W.
struct Range {
    char32_t first;
    char32_t last;
};
constexpr Range kWide[] = {
    {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
    {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
    {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
    {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
    {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
    {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
    {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
    {0x2E80, 0x303E}, {0x3041, 0x3247}, {0x3250, 0x4DBF}, {0x4E00, 0xA4C6}, {0xA960, 0xA97C},
    {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6B}, {0xFF01, 0xFF60},
    {0xFFE0, 0xFFE6}, {0x16FE0, 0x1B2FB}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F320}, {0x1F32D, 0x1F335},
    {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3},
    {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440},
    {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567},
    {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F},
    {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6DF},
    {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7F0}, {0x1F90C, 0x1F93A},
    {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAF6}, {0x20000, 0x3FFFD},
};

} // namespace

QString humanSizeWithPrecision(double size, int precision)
{
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    return customSize(size, 1000.0, units, int(std::size(units)), precision);
}

QString humanSize(qint64 bytes)
{
    return humanSizeWithPrecision(double(bytes), 3);
}

QString bytesSize(double size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
    return customSize(size, 1024.0, units, int(std::size(units)), 4);
}

QString humanDuration(qint64 seconds)
{
    if (seconds < 1)
        return QStringLiteral("Less than a second");
    if (seconds == 1)
        return QStringLiteral("1 second");
    if (seconds < 60)
        return QStringLiteral("%1 seconds").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes == 1)
        return QStringLiteral("About a minute");
    if (minutes < 60)
        return QStringLiteral("%1 minutes").arg(minutes);
    // Go: int(d.Hours() + 0.5), i.e. hours rounded half up.
    const qint64 hours = (seconds + 1800) / 3600;
    if (hours == 1)
        return QStringLiteral("About an hour");
    if (hours < 48)
        return QStringLiteral("%1 hours").arg(hours);
    if (hours < 24 * 7 * 2)
        return QStringLiteral("%1 days").arg(hours / 24);
    if (hours < 24 * 30 * 2)
        return QStringLiteral("%1 weeks").arg(hours / 24 / 7);
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1 months").arg(hours / 24 / 30);
    // Years use truncated hours, unlike the branches above (as Go does).
    return QStringLiteral("%1 years").arg(seconds / 3600 / 24 / 365);
}

QString timeAgo(const QDateTime &created, const QDateTime &now)
{
    if (!created.isValid() || !now.isValid())
        return {};
    return humanDuration(created.secsTo(now)) + QStringLiteral(" ago");
}

QString shortId(const QString &id)
{
    return id.mid(id.indexOf(u':') + 1).left(12);
}

int charWidth(char32_t c)
{
    if (c < kWide[0].first)
        return 1;
    const auto it = std::upper_bound(std::begin(kWide), std::end(kWide), c,
                                     [](char32_t v, const Range &r) { return v < r.first; });
    return it != std::begin(kWide) && c <= std::prev(it)->last ? 2 : 1;
}

int displayWidth(QStringView s)
{
    int width = 0;
    for (char32_t c : s.toUcs4())
        width += charWidth(c);
    return width;
}

QString ellipsis(const QString &s, int maxDisplayWidth)
{
    if (maxDisplayWidth <= 0 || s.isEmpty())
        return {};
    const QList<uint> rs = s.toUcs4();
    if (maxDisplayWidth == 1)
        return QString::fromUcs4(reinterpret_cast<const char32_t *>(rs.constData()), 1);

    QList<int> display; // running width after each code point
    display.reserve(rs.size());
    int width = 0;
    for (uint c : rs) {
        width += charWidth(c);
        display.append(width);
    }
    if (width <= maxDisplayWidth)
        return s;
    const int room = maxDisplayWidth - 1; // one column for "…"
    for (qsizetype i = 0; i + 1 < display.size(); ++i) {
        if (display[i] <= room && display[i + 1] > room) {
            return QString::fromUcs4(reinterpret_cast<const char32_t *>(rs.constData()), i + 1)
                + QChar(0x2026);
        }
    }
    return s;
}

void TableWriter::addRow(const QStringList &cells)
{
    QList<Cell> row;
    for (const QString &text : cells)
        row.append({text, displayWidth(text)});
    if (row.isEmpty())
        row.append(Cell{}); // an empty line is one empty trailing cell, as in Go
    m_rows.append(row);
}

QString TableWriter::render() const
{
    QString out;
    QList<int> widths;
    format(out, widths, 0, m_rows.size());
    return out;
}

// Go's Writer.format: widths holds the widths of the columns left of `column`;
// find each block of rows that have a cell in `column`, size it, and recurse
// for the columns to its right.
void TableWriter::format(QString &out, QList<int> &widths, qsizetype line0, qsizetype line1) const
{
    const qsizetype column = widths.size();
    for (qsizetype row = line0; row < line1; ++row) {
        if (column >= m_rows[row].size() - 1)
            continue;
        writeLines(out, widths, line0, row);
        line0 = row;
        int width = m_minWidth;
        for (; row < line1 && column < m_rows[row].size() - 1; ++row)
            width = std::max(width, m_rows[row][column].width + m_padding);
        widths.append(width);
        format(out, widths, line0, row);
        widths.removeLast();
        line0 = row;
    }
    writeLines(out, widths, line0, line1);
}

void TableWriter::writeLines(QString &out, const QList<int> &widths, qsizetype line0, qsizetype line1) const
{
    for (qsizetype row = line0; row < line1; ++row) {
        const QList<Cell> &cells = m_rows[row];
        for (qsizetype j = 0; j < cells.size(); ++j) {
            out += cells[j].text;
            if (j < widths.size())
                out += QString(std::max(0, widths[j] - cells[j].width), u' ');
        }
        out += QLatin1Char('\n');
    }
}

} // namespace porthole::format
