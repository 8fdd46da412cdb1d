// Starts the desktop application: QApplication, translations, the engine
// on its worker thread, the main window. Returns the exit code.
#pragma once

namespace porthole::gui {

int runGui(int argc, char **argv);

} // namespace porthole::gui
