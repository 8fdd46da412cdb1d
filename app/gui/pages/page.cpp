#include "gui/pages/page.h"

#include <QAction>
#include <QIcon>
#include <QItemSelectionModel>
#include <QHeaderView>
#include <QKeySequence>
#include <QLineEdit>
#include <QTableView>

namespace porthole::gui {

QAction *Page::addPageAction(const QString &text, const QString &iconName, const QKeySequence &key)
{
    auto *action = new QAction(QIcon::fromTheme(iconName), text, this);
    if (!key.isEmpty()) {
        action->setShortcut(key);
        // The shortcut in the tooltip: the toolbar is where users learn it.
        action->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(u'&'), key.toString(QKeySequence::NativeText)));
    }
    addAction(action);
    m_toolbar.append(action);
    return action;
}

void Page::markUnavailable(QAction *action, const QString &why)
{
    action->setEnabled(false);
    action->setToolTip(why);
    action->setStatusTip(why);
    action->setProperty("unavailable", true);
}

void Page::enableIf(QAction *action, bool on)
{
    action->setEnabled(on && !action->property("unavailable").toBool());
}

void Page::watchCurrentRow(QTableView *view, const std::function<void()> &changed)
{
    QAbstractItemModel *model = view->model();
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, changed);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, changed);
    connect(model, &QAbstractItemModel::dataChanged, this, changed);
    connect(model, &QAbstractItemModel::modelReset, this, changed);
    connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
}

void Page::setUpTable(QTableView *view, const QString &accessibleName)
{
    view->setAccessibleName(accessibleName);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setSortingEnabled(true);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Tab leaves the table instead of walking its cells.
    view->setTabKeyNavigation(false);
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
}

QLineEdit *Page::makeFilterEdit(const QString &placeholder)
{
    auto *edit = new QLineEdit(this);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    edit->setAccessibleName(tr("Filter"));
    auto *find = new QAction(tr("Filter"), this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, edit, [edit] {
        edit->setFocus(Qt::ShortcutFocusReason);
        edit->selectAll();
    });
    addAction(find);
    return edit;
}

} // namespace porthole::gui
