// Includes only its own header and a system one (layercheck fixture).
#include "widget/view.h"
#include "view.moc"

#include <QWidget>
