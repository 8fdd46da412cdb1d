#include "gui/terminal/terminalsurface.h"

#include "gui/terminal/terminalscreen.h"

#include <vterm.h>

#include <algorithm>

namespace porthole::gui {

TerminalPalette TerminalPalette::standard(const QColor &foreground, const QColor &background)
{
    TerminalPalette p{foreground, background, {}};
    static const QRgb ansi[16] = {
        0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
        0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
    };
    for (int i = 0; i < 16; ++i)
        p.ansi[i] = QColor::fromRgb(ansi[i]);
    return p;
}

QStringView TerminalLine::cellText(int col) const
{
    const Cell &c = cells.at(col);
    return QStringView(text).mid(c.pos, c.len);
}

struct TerminalSurface::Impl {
    TerminalSurface *q;
    VTerm *vt = nullptr;
    VTermState *state = nullptr;
    TerminalScreen screen;
    ScreenCell pen = ScreenCell::defaultBlank();

    TerminalPalette palette = TerminalPalette::standard(QColor(0xd0, 0xd0, 0xd0), Qt::black);
    ColorTable colors;

    VTermPos cursor{0, 0};
    bool cursorVisible = true;
    bool cursorBlink = false;
    CursorShape cursorShape = CursorShape::Block;
    bool reverseVideo = false;
    int mouseMode = 0;
    QString title;

    // Changes collected while libvterm runs, emitted by flush().
    bool writing = false;
    QByteArray queuedInput;
    QByteArray pendingOut;
    QByteArray *capture = nullptr;
    bool cursorDirty = false;
    bool cursorPropsDirty = false;
    bool titleDirty = false;
    int bells = 0;
    bool altAtStart = false;

    Impl(TerminalSurface *q, int rows, int cols) : q(q), screen(rows, cols) {}

    void scrollRect(VTermRect r, int downward, int rightward)
    {
        if (rightward != 0 || !screen.scrollRect(r, downward, pen))
            vterm_scroll_rect(r, downward, rightward, &Impl::onMoveRect, &Impl::onErase, this);
    }

    void resizeScreen(int newRows, int newCols, VTermPos *delta)
    {
        VTermPos cur;
        vterm_state_get_cursorpos(state, &cur);
        screen.resize(newRows, newCols, cur.row, delta);
    }

    void setProp(VTermProp prop, const VTermValue *val)
    {
        switch (prop) {
        case VTERM_PROP_CURSORVISIBLE: cursorVisible = val->boolean; cursorPropsDirty = true; break;
        case VTERM_PROP_CURSORBLINK: cursorBlink = val->boolean; cursorPropsDirty = true; break;
        case VTERM_PROP_CURSORSHAPE:
            cursorShape = val->number == VTERM_PROP_CURSORSHAPE_UNDERLINE ? CursorShape::Underline
                        : val->number == VTERM_PROP_CURSORSHAPE_BAR_LEFT  ? CursorShape::Bar
                                                                          : CursorShape::Block;
            cursorPropsDirty = true;
            break;
        case VTERM_PROP_ALTSCREEN: screen.setAlternate(val->boolean); break;
        case VTERM_PROP_TITLE: title = QString::fromUtf8(val->string); titleDirty = true; break;
        case VTERM_PROP_REVERSE: reverseVideo = val->boolean; screen.markDirty(0, screen.rows() - 1); break;
        case VTERM_PROP_MOUSE: mouseMode = val->number; break;
        default: break;
        }
    }

    void setPenAttr(VTermAttr attr, const VTermValue *val)
    {
        auto flag = [&](uint8_t f, bool on) { pen.flags = on ? (pen.flags | f) : (pen.flags & ~f); };
        switch (attr) {
        case VTERM_ATTR_BOLD: flag(ScreenCell::Bold, val->boolean); break;
        case VTERM_ATTR_UNDERLINE: flag(ScreenCell::Underline, val->number != 0); break;
        case VTERM_ATTR_ITALIC: flag(ScreenCell::Italic, val->boolean); break;
        case VTERM_ATTR_BLINK: flag(ScreenCell::Blink, val->boolean); break;
        case VTERM_ATTR_REVERSE: flag(ScreenCell::Reverse, val->boolean); break;
        case VTERM_ATTR_STRIKE: flag(ScreenCell::Strike, val->boolean); break;
        case VTERM_ATTR_FOREGROUND: pen.fg = val->color; break;
        case VTERM_ATTR_BACKGROUND: pen.bg = val->color; break;
        default: break;
        }
    }

    void output(const char *s, size_t len)
    {
        if (capture)
            capture->append(s, qsizetype(len));
        else if (writing)
            pendingOut.append(s, qsizetype(len));
        else
            Q_EMIT q->bytesToSend(QByteArray(s, qsizetype(len)));
    }

    void flush();
    QByteArray probe(void (*ask)(VTerm *)) const;

    static Impl *self(void *user) { return static_cast<Impl *>(user); }
    static int onMoveRect(VTermRect dest, VTermRect src, void *u) { return self(u)->screen.moveRect(dest, src), 1; }
    static int onErase(VTermRect r, int selective, void *u)
    {
        return self(u)->screen.erase(r, selective != 0, self(u)->pen), 1;
    }
};

void TerminalSurface::Impl::flush()
{
    if (!pendingOut.isEmpty())
        Q_EMIT q->bytesToSend(std::exchange(pendingOut, {}));
    int first = 0, last = 0;
    if (screen.takeDamage(first, last))
        Q_EMIT q->damaged(first, last);
    if (screen.takeHistoryChanged())
        Q_EMIT q->scrollbackChanged(screen.scrollbackSize());
    if (std::exchange(cursorDirty, false))
        Q_EMIT q->cursorMoved(cursor.row, cursor.col);
    if (std::exchange(cursorPropsDirty, false)) {
        Q_EMIT q->cursorVisibilityChanged(cursorVisible);
        Q_EMIT q->cursorShapeChanged(cursorShape, cursorBlink);
    }
    if (std::exchange(titleDirty, false))
        Q_EMIT q->titleChanged(title);
    if (altAtStart != screen.alternate()) {
        altAtStart = screen.alternate();
        Q_EMIT q->alternateScreenChanged(altAtStart);
    }
    for (; bells > 0; bells = 0)
        Q_EMIT q->bell();
}

QByteArray TerminalSurface::Impl::probe(void (*ask)(VTerm *)) const
{
    QByteArray answer;
    auto *self = const_cast<Impl *>(this);
    self->capture = &answer;
    ask(vt);
    self->capture = nullptr;
    return answer;
}

TerminalSurface::TerminalSurface(int rows, int cols, QObject *parent)
    : QObject(parent), d(std::make_unique<Impl>(this, std::max(rows, 1), std::max(cols, 1)))
{
    setPalette(d->palette);

    using I = Impl;
    static const VTermStateCallbacks callbacks = {
        [](VTermGlyphInfo *info, VTermPos pos, void *u) {
            return I::self(u)->screen.putGlyph(*info, pos, I::self(u)->pen), 1;
        },
        [](VTermPos pos, VTermPos, int, void *u) {
            I::self(u)->cursor = pos;
            return I::self(u)->cursorDirty = true, 1;
        },
        [](VTermRect r, int down, int right, void *u) { return I::self(u)->scrollRect(r, down, right), 1; },
        &I::onMoveRect,
        &I::onErase,
        [](void *u) { return I::self(u)->pen = ScreenCell::defaultBlank(), 1; },
        [](VTermAttr attr, VTermValue *val, void *u) { return I::self(u)->setPenAttr(attr, val), 1; },
        [](VTermProp prop, VTermValue *val, void *u) { return I::self(u)->setProp(prop, val), 1; },
        [](void *u) { return ++I::self(u)->bells, 1; },
        [](int rows, int cols, VTermPos *delta, void *u) {
            return I::self(u)->resizeScreen(rows, cols, delta), 1;
        },
        // Double-width lines (DECDWL) are drawn single width.
        [](int, const VTermLineInfo *, const VTermLineInfo *, void *) { return 1; },
    };
    d->vt = vterm_new(d->screen.rows(), d->screen.cols());
    vterm_set_utf8(d->vt, 1);
    vterm_output_set_callback(
        d->vt, [](const char *s, size_t len, void *u) { I::self(u)->output(s, len); }, d.get());
    d->state = vterm_obtain_state(d->vt);
    vterm_state_set_callbacks(d->state, &callbacks, d.get());
    vterm_state_reset(d->state, 1);
    d->cursorDirty = d->cursorPropsDirty = false;
    int first, last;
    d->screen.takeDamage(first, last);
}

TerminalSurface::~TerminalSurface()
{
    vterm_free(d->vt);
}

void TerminalSurface::write(const QByteArray &data)
{
    if (d->writing) {
        d->queuedInput.append(data);
        return;
    }
    d->writing = true;
    vterm_input_write(d->vt, data.constData(), size_t(data.size()));
    while (!d->queuedInput.isEmpty()) {
        const QByteArray more = std::exchange(d->queuedInput, {});
        vterm_input_write(d->vt, more.constData(), size_t(more.size()));
    }
    d->writing = false;
    d->flush();
}

void TerminalSurface::resize(int rows, int cols)
{
    rows = std::max(rows, 1);
    cols = std::max(cols, 1);
    if (rows == d->screen.rows() && cols == d->screen.cols())
        return;
    d->writing = true;
    vterm_set_size(d->vt, rows, cols);
    d->writing = false;
    d->flush();
    Q_EMIT resized(rows, cols);
}

int TerminalSurface::rows() const { return d->screen.rows(); }
int TerminalSurface::cols() const { return d->screen.cols(); }

void TerminalSurface::setPalette(const TerminalPalette &palette)
{
    d->palette = palette;
    d->colors.set(palette);
    d->screen.markDirty(0, d->screen.rows() - 1);
}

const TerminalPalette &TerminalSurface::palette() const { return d->palette; }

void TerminalSurface::setScrollbackLimit(int lines) { d->screen.setScrollbackLimit(lines); }
int TerminalSurface::scrollbackLimit() const { return d->screen.scrollbackLimit(); }
int TerminalSurface::scrollbackSize() const { return d->screen.scrollbackSize(); }
qint64 TerminalSurface::firstLine() const { return d->screen.firstLine(); }
qint64 TerminalSurface::screenLine() const { return d->screen.screenLine(); }
int TerminalSurface::scrollOffset() const { return d->screen.scrollOffset(); }
void TerminalSurface::setScrollOffset(int lines) { d->screen.setScrollOffset(lines); }

void TerminalSurface::readLine(qint64 line, TerminalLine &out) const
{
    d->screen.readLine(line, out, d->colors);
}

TerminalCell TerminalSurface::cell(int viewRow, int col) const
{
    TerminalLine line;
    readLine(viewTopLine() + viewRow, line);
    if (col < 0 || col >= int(line.cells.size()))
        return {};
    const TerminalLine::Cell &c = line.cells[col];
    return TerminalCell{line.cellText(col).toString(), c.width, c.attrs};
}

QString TerminalSurface::rowText(int viewRow) const
{
    const qint64 line = viewTopLine() + viewRow;
    return text(line, 0, line, cols());
}

QString TerminalSurface::text(qint64 fromLine, int fromCol, qint64 toLine, int toCol) const
{
    QString result;
    TerminalLine line;
    for (qint64 n = fromLine; n <= toLine; ++n) {
        readLine(n, line);
        const int begin = n == fromLine ? std::clamp(fromCol, 0, cols()) : 0;
        const int end = n == toLine ? std::clamp(toCol, 0, cols()) : cols();
        QString part;
        for (int col = begin; col < end; ++col)
            part += line.cellText(col);
        while (part.endsWith(QLatin1Char(' ')))
            part.chop(1);
        if (n != fromLine)
            result += QLatin1Char('\n');
        result += part;
    }
    return result;
}

int TerminalSurface::cursorRow() const { return d->cursor.row; }
int TerminalSurface::cursorCol() const { return d->cursor.col; }
bool TerminalSurface::cursorVisible() const { return d->cursorVisible; }
bool TerminalSurface::cursorBlinking() const { return d->cursorBlink; }
CursorShape TerminalSurface::cursorShape() const { return d->cursorShape; }
bool TerminalSurface::alternateScreen() const { return d->screen.alternate(); }
bool TerminalSurface::reverseVideo() const { return d->reverseVideo; }
bool TerminalSurface::mouseTracking() const { return d->mouseMode != VTERM_PROP_MOUSE_NONE; }
QString TerminalSurface::title() const { return d->title; }

KeyModes TerminalSurface::keyModes() const
{
    KeyModes modes;
    modes.applicationCursor =
        d->probe([](VTerm *vt) { vterm_keyboard_key(vt, VTERM_KEY_UP, VTERM_MOD_NONE); })
            .startsWith("\x1bO");
    modes.applicationKeypad =
        d->probe([](VTerm *vt) { vterm_keyboard_key(vt, VTERM_KEY_KP_0, VTERM_MOD_NONE); })
            .startsWith("\x1bO");
    modes.newLine =
        d->probe([](VTerm *vt) { vterm_keyboard_key(vt, VTERM_KEY_ENTER, VTERM_MOD_NONE); })
        == "\r\n";
    modes.alternateScreen = alternateScreen();
    return modes;
}

bool TerminalSurface::bracketedPaste() const
{
    return !d->probe([](VTerm *vt) { vterm_keyboard_start_paste(vt); }).isEmpty();
}

void TerminalSurface::sendInput(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    d->screen.setScrollOffset(0);
    if (d->writing)
        d->pendingOut.append(bytes);
    else
        Q_EMIT bytesToSend(bytes);
}

void TerminalSurface::paste(const QString &text)
{
    const QByteArray body = sanitizePaste(text).toUtf8();
    if (body.isEmpty())
        return;
    const QByteArray start = d->probe([](VTerm *vt) { vterm_keyboard_start_paste(vt); });
    const QByteArray end = d->probe([](VTerm *vt) { vterm_keyboard_end_paste(vt); });
    sendInput(start + body + end);
}

QString TerminalSurface::sanitizePaste(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c == u'\r' || c == u'\n') {
            out += QLatin1Char('\r');
            if (c == u'\r' && i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
        } else if (c == u'\t' || (c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xa0))) {
            out += QChar(c);
        }
    }
    return out;
}

void TerminalSurface::setFocused(bool focused)
{
    if (focused)
        vterm_state_focus_in(d->state);
    else
        vterm_state_focus_out(d->state);
}

static VTermModifier vtermMods(Qt::KeyboardModifiers mods)
{
    int m = VTERM_MOD_NONE;
    if (mods & Qt::ShiftModifier) m |= VTERM_MOD_SHIFT;
    if (mods & Qt::AltModifier) m |= VTERM_MOD_ALT;
    if (mods & Qt::ControlModifier) m |= VTERM_MOD_CTRL;
    return VTermModifier(m);
}

void TerminalSurface::sendMouseMove(int row, int col, Qt::KeyboardModifiers mods)
{
    vterm_mouse_move(d->vt, row, col, vtermMods(mods));
}

void TerminalSurface::sendMouseButton(int button, bool pressed, Qt::KeyboardModifiers mods)
{
    vterm_mouse_button(d->vt, button, pressed, vtermMods(mods));
}

} // namespace porthole::gui
