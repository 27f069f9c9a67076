// Everything the host needs from the route-script engine, in one include.
#pragma once

#include "compile.h" // FunctionResolver, compile()
#include "interp.h"  // State, Outcome, RunResult, run()
#include "msg_env.h" // MsgEnv
#include "program.h" // Program, free_fixups()
#include "pvar.h"    // Pv
