#!/usr/bin/env node
// The compiled CLI; `npm ci` builds it through the prepare script.
require("../dist/src/cli/main.js");
