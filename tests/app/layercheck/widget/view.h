// A header the widget owns (layercheck fixture).
#pragma once
