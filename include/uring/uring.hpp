// The C++20 API of bareuring, all of it. Each header has one concern and may
// be included on its own:
//
//   result.hpp         result<T>, errno_error
//   setup_options.hpp  ring setup flags, checked at compile and run time
//   ring.hpp           ring: RAII struct io_uring, typed prepare/submit/reap
//   fd.hpp             fd, fixed_file, unique_fd, file_ref
//   buffer.hpp         mutable_buffer, const_buffer
//   user_data.hpp      user_data<T>
//   completion.hpp     completion (CQE view), io_result
//   operation.hpp      the operation concept, with_data, with_flags
//   ops.hpp            every typed operation (ops/*.hpp)
//   probe.hpp          probe
//   buffer_ring.hpp    buffer_ring, buffer_lease
//   task.hpp           task<T>
//   event_loop.hpp     event_loop, run / run_chain / sleep_for awaitables
//   multishot.hpp      accept_stream, recv_stream, read_stream, recvmsg_stream
//   received_message.hpp  received_message (a parsed multishot recvmsg buffer)
#pragma once

#include "buffer.hpp"
#include "buffer_ring.hpp"
#include "completion.hpp"
#include "event_loop.hpp"
#include "fd.hpp"
#include "multishot.hpp"
#include "operation.hpp"
#include "ops.hpp"
#include "probe.hpp"
#include "received_message.hpp"
#include "result.hpp"
#include "ring.hpp"
#include "setup_options.hpp"
#include "task.hpp"
#include "user_data.hpp"
