#include "ccurl.h"

#include <dlfcn.h>
#include <pthread.h>

/* The libcurl functions optoutd calls, found in the library once it is loaded. */
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *item);
    void (*slist_free_all)(struct curl_slist *list);
} curl;

static int ready;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return;
/* dlsym() returns an object pointer; POSIX guarantees it converts to a function pointer. */
#define RESOLVE(field, name) \
    if ((*(void **)&curl.field = dlsym(library, name)) == NULL) return;
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_reset, "curl_easy_reset")
    RESOLVE(easy_perform, "curl_easy_perform")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
#undef RESOLVE
    ready = curl.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

int optoutd_curl_load(void) {
    pthread_once(&load_once, load);
    return ready;
}

CURL *optoutd_curl_easy_init(void) { return ready ? curl.easy_init() : NULL; }

void optoutd_curl_easy_cleanup(CURL *handle) { curl.easy_cleanup(handle); }

void optoutd_curl_easy_reset(CURL *handle) { curl.easy_reset(handle); }

CURLcode optoutd_curl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }

const char *optoutd_curl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }

struct curl_slist *optoutd_curl_slist_append(struct curl_slist *list, const char *item) {
    return curl.slist_append(list, item);
}

void optoutd_curl_slist_free_all(struct curl_slist *list) { curl.slist_free_all(list); }

CURLcode optoutd_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode optoutd_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode optoutd_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode optoutd_curl_set_function(CURL *handle, CURLoption option, optoutd_curl_io_function function) {
    return curl.easy_setopt(handle, option, function);
}

static optoutd_curl_progress_function progress_function;

static int progress(void *userdata, curl_off_t download_total, curl_off_t downloaded, curl_off_t upload_total,
                    curl_off_t uploaded) {
    (void)download_total, (void)downloaded, (void)upload_total, (void)uploaded;
    return __atomic_load_n(&progress_function, __ATOMIC_ACQUIRE)(userdata);
}

CURLcode optoutd_curl_set_progress(CURL *handle, optoutd_curl_progress_function function) {
    /* Every caller passes the same function: one pointer for all handles will do. */
    __atomic_store_n(&progress_function, function, __ATOMIC_RELEASE);
    return curl.easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, progress);
}

long optoutd_curl_response_code(CURL *handle) {
    long code = 0;
    curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
    return code;
}
