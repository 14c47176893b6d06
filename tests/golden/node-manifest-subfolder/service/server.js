require("@hapi/hapi");
