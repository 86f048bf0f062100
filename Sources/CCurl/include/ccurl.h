#ifndef OPTOUTD_CCURL_H
#define OPTOUTD_CCURL_H

#include <curl/curl.h>

/* curl_easy_setopt() is variadic, which Swift cannot call: one typed wrapper per kind of value. */

typedef size_t (*optoutd_curl_io_function)(char *buffer, size_t size, size_t count, void *userdata);

CURLcode optoutd_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode optoutd_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode optoutd_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode optoutd_curl_set_function(CURL *handle, CURLoption option, optoutd_curl_io_function function);
long optoutd_curl_response_code(CURL *handle);

#endif
