// The desktop app as a loadable module: the porthole executable dlopens it
// only when it opens a window, so the CLI verbs and the container shim start
// without loading Qt Gui, Widgets and their dozens of libraries.
#include "gui/guiapp.h"

extern "C" __attribute__((visibility("default"))) int porthole_run_gui(int argc, char **argv)
{
    return porthole::gui::runGui(argc, argv);
}
