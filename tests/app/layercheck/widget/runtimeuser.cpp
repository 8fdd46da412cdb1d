// Includes an engine header (layercheck fixture, case foreign).
#include "widget/view.h"
#include "runtime/exec.h"
