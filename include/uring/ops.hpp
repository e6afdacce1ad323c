// Every typed operation (one header per family under ops/).
#pragma once

#include "ops/buffers.hpp"
#include "ops/cmd.hpp"
#include "ops/epoll.hpp"
#include "ops/file.hpp"
#include "ops/misc.hpp"
#include "ops/multishot.hpp"
#include "ops/net.hpp"
#include "ops/poll.hpp"
#include "ops/process.hpp"
#include "ops/rw.hpp"
#include "ops/time.hpp"
#include "ops/xattr.hpp"
#include "ops/zerocopy.hpp"
