// Includes the CLI (layercheck fixture, case cli).
#include "widget/view.h"
#include "cli/format.h"
