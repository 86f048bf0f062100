#ifndef OPTOUTD_CCURL_H
#define OPTOUTD_CCURL_H

#include <curl/curl.h>

/* libcurl is loaded at the first transfer (dlopen of libcurl.so.4), not when the process
 * starts: with its TLS, Kerberos and LDAP libraries it is some forty shared objects that
 * every command would otherwise map and relocate, most of which never send anything. The
 * functions below call into it once optoutd_curl_load() has returned 1. */

/* Loads libcurl and runs curl_global_init() once; returns 1 when it is ready, else 0. */
int optoutd_curl_load(void);

CURL *optoutd_curl_easy_init(void);
void optoutd_curl_easy_cleanup(CURL *handle);
void optoutd_curl_easy_reset(CURL *handle);
CURLcode optoutd_curl_easy_perform(CURL *handle);
const char *optoutd_curl_easy_strerror(CURLcode code);
struct curl_slist *optoutd_curl_slist_append(struct curl_slist *list, const char *item);
void optoutd_curl_slist_free_all(struct curl_slist *list);

/* curl_easy_setopt() is variadic, which Swift cannot call: one typed wrapper per kind of value. */

typedef size_t (*optoutd_curl_io_function)(char *buffer, size_t size, size_t count, void *userdata);

CURLcode optoutd_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode optoutd_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode optoutd_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode optoutd_curl_set_function(CURL *handle, CURLoption option, optoutd_curl_io_function function);
long optoutd_curl_response_code(CURL *handle);

/* CURLOPT_XFERINFOFUNCTION with only the user data: nonzero aborts the transfer. */
typedef int (*optoutd_curl_progress_function)(void *userdata);
CURLcode optoutd_curl_set_progress(CURL *handle, optoutd_curl_progress_function function);

#endif
