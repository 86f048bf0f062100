#ifndef OPTOUTD_CYAML_SHIM_H
#define OPTOUTD_CYAML_SHIM_H

/* libyaml's event parser (Debian's libyaml-dev). */
#include <yaml.h>

#endif
