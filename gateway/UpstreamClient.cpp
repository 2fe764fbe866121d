// Placeholder so the tree configures while the client is written.
#include "UpstreamClient.h"
