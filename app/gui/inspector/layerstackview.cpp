#include "gui/inspector/layerstackview.h"

#include <QFontMetrics>
#include <QLabel>
#include <QLocale>
#include <QPalette>
#include <QVBoxLayout>

namespace porthole::gui {

LayerStackView::LayerStackView(QWidget *parent) : QWidget(parent), m_rows(new QVBoxLayout(this))
{
    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->setSpacing(2);
    rebuild();
}

void LayerStackView::setImageHistory(const QList<service::HistoryRow> &rows)
{
    m_history = rows;
    m_haveHistory = true;
    rebuild();
}

void LayerStackView::setWritableLayer(int changes, qint64 bytes)
{
    if (changes == m_changes && bytes == m_bytes && !m_labels.isEmpty())
        return; // refreshed every few seconds: no relayout when nothing moved
    m_changes = changes;
    m_bytes = bytes;
    rebuild();
}

QStringList LayerStackView::rowTexts() const
{
    QStringList out;
    for (const QLabel *l : m_labels)
        out.append(l->text());
    return out;
}

QLabel *LayerStackView::makeRow(const QString &text, const QString &tooltip, bool writable)
{
    auto *label = new QLabel(text, this);
    label->setToolTip(tooltip);
    label->setFrameShape(QFrame::Box);
    label->setMargin(4);
    label->setTextFormat(Qt::PlainText);
    // The writable layer stands out in the palette's highlight; the
    // read-only ones share one quiet colour.
    label->setAutoFillBackground(true);
    QPalette pal = label->palette();
    pal.setColor(QPalette::Window, writable ? palette().color(QPalette::Highlight) : palette().color(QPalette::AlternateBase));
    pal.setColor(QPalette::WindowText,
                 writable ? palette().color(QPalette::HighlightedText) : palette().color(QPalette::WindowText));
    label->setPalette(pal);
    return label;
}

void LayerStackView::rebuild()
{
    for (QLabel *l : std::as_const(m_labels))
        delete l;
    m_labels.clear();
    const QLocale locale;
    m_labels.append(makeRow(tr("Container layer (read-write): %n change(s), %1", nullptr, m_changes)
                                .arg(locale.formattedDataSize(m_bytes)),
                            tr("Everything the container writes lands here; the image's layers below never change. "
                               "Commit turns this layer into a new image's top layer."),
                            true));
    if (!m_haveHistory) {
        m_labels.append(makeRow(tr("Image layers: reading…"), QString(), false));
    } else {
        int layers = 0;
        for (const service::HistoryRow &r : m_history)
            layers += r.emptyLayer ? 0 : 1;
        int number = layers;
        qint64 belowBytes = 0; // the layers under the ones drawn
        const QFontMetrics fm(font());
        for (const service::HistoryRow &r : m_history) { // newest first: the top of the stack first
            if (r.emptyLayer)
                continue;
            if (layers - number >= kMaxImageRows - 1 && layers > kMaxImageRows) {
                belowBytes += r.size;
                --number;
                continue;
            }
            const QString createdBy = fm.elidedText(r.createdBy.simplified(), Qt::ElideRight, fm.averageCharWidth() * 60);
            m_labels.append(makeRow(tr("Image layer %1 of %2 (read-only): %3  %4")
                                        .arg(number)
                                        .arg(layers)
                                        .arg(locale.formattedDataSize(r.size), createdBy),
                                    r.createdBy, false));
            --number;
        }
        if (layers > kMaxImageRows) {
            const int below = layers - (kMaxImageRows - 1);
            m_labels.append(makeRow(tr("%n more read-only layer(s) below: %1", nullptr, below).arg(locale.formattedDataSize(belowBytes)),
                                    tr("The layer inspector (History and layers on the Images page) shows every layer."), false));
        }
    }
    for (QLabel *l : std::as_const(m_labels))
        m_rows->addWidget(l);
}

} // namespace porthole::gui
