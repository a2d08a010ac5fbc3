'use strict';
// Child process entry: sets NocoBase's environment defaults and hands argv to @nocobase/app,
// as the nocobase command line does, without needing a create-nocobase-app project or yarn.
const { initEnv } = require('@nocobase/cli-v1/src/util');

initEnv();
require('@nocobase/app');
