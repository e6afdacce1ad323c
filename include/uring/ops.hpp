// Every typed operation (one header per family under ops/).
#pragma once

#include "ops/file.hpp"
#include "ops/misc.hpp"
#include "ops/multishot.hpp"
#include "ops/net.hpp"
#include "ops/poll.hpp"
#include "ops/rw.hpp"
#include "ops/time.hpp"
