/*
 * sink.c - where alerts go: a JSON-lines file (O_APPEND write of whole
 * lines, then fsync, so a reader never sees half an alert and a crash after
 * we mark it sent cannot lose it) and a webhook (one libcurl POST of the
 * alert's JSON; 2xx is success). Retries and backoff are alert.c's.
 *
 * libcurl: the Debian package every distribution has, handles TLS, proxies
 * and redirects correctly (docs/decisions.md). curl_global_init runs once
 * under pthread_once since it is not thread-safe in every build.
 */
#include "alert/alert.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

td_status td_alert_sink_file(const char *path, const char *data, size_t len, td_buf *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        td_buf_printf(err, "%s: cannot open for appending: %s", path, strerror(errno));
        return TD_EIO;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            td_buf_printf(err, "%s: write failed: %s", path, n < 0 ? strerror(errno) : "no progress");
            close(fd);
            return TD_EIO;
        }
        off += (size_t)n;
    }
    if (fsync(fd) != 0) {
        td_buf_printf(err, "%s: fsync failed: %s", path, strerror(errno));
        close(fd);
        return TD_EIO;
    }
    if (close(fd) != 0) {
        td_buf_printf(err, "%s: close failed: %s", path, strerror(errno));
        return TD_EIO;
    }
    return TD_OK;
}

bool td_alert_url_ok(const char *url)
{
    if (!url)
        return false;
    const char *host = strncmp(url, "http://", 7) == 0    ? url + 7
                       : strncmp(url, "https://", 8) == 0 ? url + 8
                                                          : NULL;
    if (!host || !*host || *host == '/' || *host == ':')
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ')
            return false; /* spaces and controls: a typo, not a URL */
    return true;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Keeps the first bytes of the receiver's answer for the error message. */
static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    td_buf *b = ud;
    size_t len = size * n;
    if (b->len < 200)
        td_buf_append(b, p, len < 200 - b->len ? len : 200 - b->len);
    return len;
}

td_status td_alert_sink_post(const char *url, const char *body, size_t len, unsigned timeout_ms, td_buf *err)
{
    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK) {
        td_buf_printf(err, "libcurl: %s", curl_easy_strerror(curl_init_rc));
        return TD_EIO;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        td_buf_puts(err, "libcurl: out of memory");
        return TD_ENOMEM;
    }
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *h2 = hdr ? curl_slist_append(hdr, "User-Agent: tidings/" TD_VERSION) : NULL;
    if (!h2) {
        curl_slist_free_all(hdr);
        curl_easy_cleanup(h);
        td_buf_puts(err, "libcurl: out of memory");
        return TD_ENOMEM;
    }
    hdr = h2;
    td_buf answer = TD_BUF_INIT;
    char cerr[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_ms < 5000 ? timeout_ms : 5000));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    CURLcode rc = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    td_status s = TD_OK;
    if (rc != CURLE_OK) {
        td_buf_printf(err, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
        s = TD_EIO;
    } else if (code < 200 || code > 299) {
        td_buf_printf(err, "HTTP %ld", code);
        if (answer.len) {
            /* the receiver's own words, on one line */
            for (size_t i = 0; i < answer.len; i++)
                if ((unsigned char)answer.p[i] < ' ')
                    answer.p[i] = ' ';
            td_buf_printf(err, ": %s", answer.p);
        }
        s = TD_EIO;
    }
    td_buf_free(&answer);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return s;
}
