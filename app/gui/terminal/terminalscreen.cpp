#include "gui/terminal/terminalscreen.h"

#include <algorithm>
#include <cstring>

namespace porthole::gui {
namespace {

constexpr char32_t WideTail = 0xffffffff;    // right half of a wide char
constexpr char32_t GraphemeFlag = 0x80000000; // ch indexes m_graphemes
constexpr size_t MaxGraphemes = 65536;        // combining-mark floods stay bounded

VTermColor defaultColor(uint8_t which)
{
    VTermColor c;
    vterm_color_rgb(&c, 0, 0, 0);
    c.type |= which;
    return c;
}

void appendUcs4(QString &s, char32_t ch)
{
    if (QChar::requiresSurrogates(ch)) {
        s.append(QChar(QChar::highSurrogate(ch)));
        s.append(QChar(QChar::lowSurrogate(ch)));
    } else {
        s.append(QChar(char16_t(ch)));
    }
}

// Overwriting half of a wide char leaves the other half meaningless.
void breakWide(ScreenRow &row, int col, const ScreenCell &with)
{
    const int n = int(row.size());
    if (col < 0 || col >= n)
        return;
    if (row[col].ch == WideTail && col > 0)
        row[col - 1] = with;
    else if (row[col].width == 2 && col + 1 < n)
        row[col + 1] = with;
}

bool rowBlank(const ScreenRow &row)
{
    return std::all_of(row.begin(), row.end(), [](const ScreenCell &c) { return c.ch == 0; });
}

void fitRow(ScreenRow &row, int width)
{
    row.resize(width, ScreenCell::defaultBlank());
    if (width > 0 && row[width - 1].width == 2)
        row[width - 1] = ScreenCell::defaultBlank();
}

} // namespace

ScreenCell ScreenCell::defaultBlank()
{
    ScreenCell c;
    c.fg = defaultColor(VTERM_COLOR_DEFAULT_FG);
    c.bg = defaultColor(VTERM_COLOR_DEFAULT_BG);
    return c;
}

ScreenCell ScreenCell::blankFrom(const ScreenCell &pen)
{
    ScreenCell c = pen;
    c.ch = 0;
    c.width = 1;
    return c;
}

void ColorTable::set(const TerminalPalette &palette)
{
    foreground = palette.foreground;
    background = palette.background;
    for (int i = 0; i < 16; ++i)
        indexed[i] = palette.ansi[i];
    static const int steps[6] = {0, 95, 135, 175, 215, 255};
    for (int i = 16; i < 232; ++i) {
        const int n = i - 16;
        indexed[i] = QColor(steps[n / 36], steps[(n / 6) % 6], steps[n % 6]);
    }
    for (int i = 232; i < 256; ++i) {
        const int level = 8 + 10 * (i - 232);
        indexed[i] = QColor(level, level, level);
    }
}

QColor ColorTable::resolve(const VTermColor &c, bool isForeground) const
{
    if (isForeground && VTERM_COLOR_IS_DEFAULT_FG(&c))
        return foreground;
    if (!isForeground && VTERM_COLOR_IS_DEFAULT_BG(&c))
        return background;
    if (VTERM_COLOR_IS_INDEXED(&c))
        return indexed[c.indexed.idx];
    return QColor(c.rgb.red, c.rgb.green, c.rgb.blue);
}

ScreenRow &TerminalScreen::Ring::at(int r)
{
    const int i = top + r;
    return rows[i < int(rows.size()) ? i : i - int(rows.size())];
}

void TerminalScreen::Ring::linearize()
{
    std::rotate(rows.begin(), rows.begin() + top, rows.end());
    top = 0;
}

TerminalScreen::TerminalScreen(int rows, int cols) : m_rows(rows), m_cols(cols)
{
    for (Ring &scr : m_screens)
        scr.rows.assign(m_rows, ScreenRow(m_cols, ScreenCell::defaultBlank()));
}

void TerminalScreen::markDirty(int first, int last)
{
    m_dirtyFirst = std::min(m_dirtyFirst, first);
    m_dirtyLast = std::max(m_dirtyLast, last);
}

bool TerminalScreen::takeDamage(int &first, int &last)
{
    if (m_dirtyLast < 0)
        return false;
    first = std::max(m_dirtyFirst, 0);
    last = std::min(m_dirtyLast, m_rows - 1);
    m_dirtyFirst = INT_MAX;
    m_dirtyLast = -1;
    return first <= last;
}

char32_t TerminalScreen::intern(const uint32_t *chars)
{
    std::u32string key;
    for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && chars[i]; ++i)
        key.push_back(chars[i]);
    auto it = m_graphemeIndex.find(key);
    if (it != m_graphemeIndex.end())
        return it->second;
    if (m_graphemes.size() >= MaxGraphemes)
        return chars[0];
    const char32_t id = GraphemeFlag | char32_t(m_graphemes.size());
    m_graphemes.push_back(key);
    m_graphemeIndex.emplace(std::move(key), id);
    return id;
}

void TerminalScreen::putGlyph(const VTermGlyphInfo &info, VTermPos pos, const ScreenCell &pen)
{
    if (pos.row < 0 || pos.row >= m_rows || pos.col < 0 || pos.col >= m_cols)
        return;
    ScreenRow &row = screen().at(pos.row);
    markDirty(pos.row, pos.row);
    ScreenCell &old = row[pos.col];
    if (info.width == 1 && !info.chars[1] && old.width == 1 && old.ch != WideTail) {
        // Nearly every glyph: narrow, over a narrow one.
        old = pen;
        old.ch = info.chars[0];
        old.flags |= info.protected_cell ? ScreenCell::Protected : 0;
        return;
    }
    const int width = std::clamp(info.width, 1, 2);
    const ScreenCell b = ScreenCell::blankFrom(pen);
    breakWide(row, pos.col, b);
    if (width == 2)
        breakWide(row, pos.col + 1, b);
    ScreenCell &c = row[pos.col];
    c = pen;
    c.ch = info.chars[1] ? intern(info.chars) : info.chars[0];
    c.flags |= info.protected_cell ? ScreenCell::Protected : 0;
    c.width = uint8_t(width);
    if (width == 2 && pos.col + 1 < m_cols) {
        ScreenCell &tail = row[pos.col + 1];
        tail = c;
        tail.ch = WideTail;
        tail.width = 0;
    }
}

void TerminalScreen::erase(VTermRect r, bool selective, const ScreenCell &pen)
{
    const ScreenCell b = ScreenCell::blankFrom(pen);
    const int from = std::max(r.start_col, 0);
    const int to = std::min(r.end_col, m_cols);
    for (int row = std::max(r.start_row, 0); row < std::min(r.end_row, m_rows); ++row) {
        ScreenRow &cells = screen().at(row);
        breakWide(cells, r.start_col, b);
        breakWide(cells, r.end_col - 1, b);
        if (!selective) {
            std::fill(cells.begin() + from, cells.begin() + to, b);
            continue;
        }
        for (int col = from; col < to; ++col) {
            if (!(cells[col].flags & ScreenCell::Protected))
                cells[col] = b;
        }
    }
    markDirty(r.start_row, r.end_row - 1);
}

void TerminalScreen::moveRect(VTermRect dest, VTermRect src)
{
    Ring &scr = screen();
    const int height = dest.end_row - dest.start_row;
    const int width = dest.end_col - dest.start_col;
    const bool up = dest.start_row <= src.start_row;
    for (int i = 0; i < height; ++i) {
        const int k = up ? i : height - 1 - i;
        std::memmove(scr.at(dest.start_row + k).data() + dest.start_col,
                     scr.at(src.start_row + k).data() + src.start_col, width * sizeof(ScreenCell));
    }
    markDirty(dest.start_row, dest.end_row - 1);
}

bool TerminalScreen::scrollRect(VTermRect r, int downward, const ScreenCell &pen)
{
    const int height = r.end_row - r.start_row;
    if (r.start_col != 0 || r.end_col != m_cols || height <= 0 || std::abs(downward) >= height)
        return false;
    Ring &scr = screen();
    const ScreenCell b = ScreenCell::blankFrom(pen);
    if (height == m_rows) {
        const int n = std::abs(downward);
        if (downward > 0) {
            for (int i = 0; i < n; ++i) {
                if (m_active == 0)
                    pushLine(scr.at(i));
                scr.at(i).assign(m_cols, b);
            }
            scr.top = (scr.top + n) % m_rows;
        } else {
            scr.top = (scr.top + m_rows - n) % m_rows;
            for (int i = 0; i < n; ++i)
                scr.at(i).assign(m_cols, b);
        }
        markDirty(0, m_rows - 1);
        return true;
    }
    scr.linearize();
    const auto first = scr.rows.begin() + r.start_row;
    const auto last = scr.rows.begin() + r.end_row;
    if (downward > 0) {
        if (r.start_row == 0 && m_active == 0) {
            for (int i = 0; i < downward; ++i)
                pushLine(scr.rows[i]);
        }
        std::rotate(first, first + downward, last);
        for (int i = r.end_row - downward; i < r.end_row; ++i)
            scr.rows[i].assign(m_cols, b);
    } else {
        std::rotate(first, last + downward, last);
        for (int i = r.start_row; i < r.start_row - downward; ++i)
            scr.rows[i].assign(m_cols, b);
    }
    markDirty(r.start_row, r.end_row - 1);
    return true;
}

// Moves `row` into the scrollback; `row` gets back storage to reuse.
void TerminalScreen::pushLine(ScreenRow &row)
{
    m_historyDirty = true;
    if (m_scrollOffset > 0)
        ++m_scrollOffset;
    if (m_sbLimit <= 0) {
        ++m_dropped;
        return;
    }
    const int size = int(m_sb.size());
    if (m_sbCount < size) {
        std::swap(m_sb[(m_sbHead + m_sbCount) % size], row);
        ++m_sbCount;
    } else if (size < m_sbLimit) {
        std::rotate(m_sb.begin(), m_sb.begin() + m_sbHead, m_sb.end());
        m_sbHead = 0;
        m_sb.push_back(std::move(row));
        row = ScreenRow();
        ++m_sbCount;
    } else {
        std::swap(m_sb[m_sbHead], row);
        m_sbHead = (m_sbHead + 1) % size;
        ++m_dropped;
    }
    m_scrollOffset = std::min(m_scrollOffset, m_sbCount);
}

bool TerminalScreen::popLine(ScreenRow &row)
{
    if (m_sbCount == 0)
        return false;
    std::swap(row, m_sb[(m_sbHead + m_sbCount - 1) % int(m_sb.size())]);
    --m_sbCount;
    m_scrollOffset = std::min(m_scrollOffset, m_sbCount);
    m_historyDirty = true;
    return true;
}

void TerminalScreen::resize(int newRows, int newCols, int cursorRow, VTermPos *delta)
{
    for (Ring &scr : m_screens)
        scr.linearize();
    auto &primary = m_screens[0].rows;
    const int oldRows = m_rows;
    if (m_active == 0 && newRows < oldRows) {
        int used = cursorRow;
        for (int r = oldRows - 1; r > cursorRow; --r) {
            if (!rowBlank(primary[r])) {
                used = r;
                break;
            }
        }
        const int excess = used + 1 - newRows;
        if (excess > 0) {
            for (int i = 0; i < excess; ++i)
                pushLine(primary[i]);
            std::rotate(primary.begin(), primary.begin() + excess, primary.end());
            delta->row -= excess;
        }
    }
    for (Ring &scr : m_screens) {
        scr.rows.resize(newRows);
        for (ScreenRow &row : scr.rows)
            fitRow(row, newCols);
    }
    if (m_active == 0) {
        for (int n = newRows - oldRows; n > 0; --n) {
            ScreenRow row;
            if (!popLine(row))
                break;
            fitRow(row, newCols);
            std::rotate(primary.begin(), primary.end() - 1, primary.end());
            std::swap(primary[0], row);
            delta->row += 1;
        }
    }
    m_rows = newRows;
    m_cols = newCols;
    markDirty(0, m_rows - 1);
}

bool TerminalScreen::setAlternate(bool on)
{
    const int want = on ? 1 : 0;
    if (want == m_active)
        return false;
    if (want == 1) {
        for (ScreenRow &row : m_screens[1].rows)
            row.assign(m_cols, ScreenCell::defaultBlank());
    }
    m_active = want;
    markDirty(0, m_rows - 1);
    return true;
}

void TerminalScreen::setScrollbackLimit(int lines)
{
    lines = std::max(lines, 0);
    std::rotate(m_sb.begin(), m_sb.begin() + m_sbHead, m_sb.end());
    m_sb.resize(m_sbCount);
    m_sbHead = 0;
    if (m_sbCount > lines) {
        const int drop = m_sbCount - lines;
        m_sb.erase(m_sb.begin(), m_sb.begin() + drop);
        m_sbCount = lines;
        m_dropped += drop;
    }
    m_sbLimit = lines;
    m_scrollOffset = std::min(m_scrollOffset, m_sbCount);
}

void TerminalScreen::setScrollOffset(int lines)
{
    m_scrollOffset = std::clamp(lines, 0, m_sbCount);
}

const ScreenRow *TerminalScreen::lineRow(qint64 line) const
{
    const qint64 index = line - m_dropped;
    if (index < 0)
        return nullptr;
    if (index < m_sbCount)
        return &m_sb[(m_sbHead + index) % qint64(m_sb.size())];
    if (index - m_sbCount < m_rows)
        return &screen().at(int(index - m_sbCount));
    return nullptr;
}

void TerminalScreen::readLine(qint64 line, TerminalLine &out, const ColorTable &colors) const
{
    const ScreenRow *row = lineRow(line);
    const ScreenCell blank = ScreenCell::defaultBlank();
    out.text.resize(0);
    out.cells.resize(m_cols);
    for (int col = 0; col < m_cols; ++col) {
        const ScreenCell &c = row && col < int(row->size()) ? (*row)[col] : blank;
        TerminalLine::Cell &o = out.cells[col];
        o.pos = int(out.text.size());
        o.width = c.width;
        if (c.ch == WideTail) {
            o.width = 0;
        } else if (c.ch == 0) {
            out.text.append(QLatin1Char(' '));
        } else if (c.ch & GraphemeFlag) {
            for (char32_t ch : m_graphemes[c.ch & ~GraphemeFlag])
                appendUcs4(out.text, ch);
        } else {
            appendUcs4(out.text, c.ch);
        }
        o.len = int(out.text.size()) - o.pos;
        CellAttributes &a = o.attrs;
        a.foreground = colors.resolve(c.fg, true);
        a.background = colors.resolve(c.bg, false);
        a.defaultBackground = VTERM_COLOR_IS_DEFAULT_BG(&c.bg);
        a.bold = c.flags & ScreenCell::Bold;
        a.italic = c.flags & ScreenCell::Italic;
        a.underline = c.flags & ScreenCell::Underline;
        a.reverse = c.flags & ScreenCell::Reverse;
        a.strike = c.flags & ScreenCell::Strike;
        a.blink = c.flags & ScreenCell::Blink;
    }
}

} // namespace porthole::gui
