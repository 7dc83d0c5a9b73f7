/*
 * originalDst(fd): the address and port a client dialled before an nftables `redirect`
 * rewrote it, read from conntrack with getsockopt SO_ORIGINAL_DST (IPv4) or
 * IP6T_SO_ORIGINAL_DST (IPv6). Plain N-API in C so it builds with nothing but Node's headers.
 */
#include <node_api.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef __linux__
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* Values from linux/netfilter_ipv4.h and linux/netfilter_ipv6/ip6_tables.h; those headers
 * clash with the libc ones, so the two constants are repeated here. */
#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST 80
#endif
#ifndef IP6T_SO_ORIGINAL_DST
#define IP6T_SO_ORIGINAL_DST 80
#endif
#endif

/* The errno values getsockopt and getsockname can return here, by name (Node style). */
static const char *errno_name(int err) {
  switch (err) {
  case EBADF: return "EBADF";
  case ENOTSOCK: return "ENOTSOCK";
  case EINVAL: return "EINVAL";
  case EFAULT: return "EFAULT";
  case ENOTCONN: return "ENOTCONN";
  case ENOBUFS: return "ENOBUFS";
  case ENOMEM: return "ENOMEM";
  case EPERM: return "EPERM";
  case EAFNOSUPPORT: return "EAFNOSUPPORT";
  case ENOSYS: return "ENOSYS";
  default: return "EUNKNOWN";
  }
}

/* Throws an Error whose `code` is the errno name; returns NULL for the caller to return. */
static napi_value throw_errno(napi_env env, const char *call, int err) {
  char msg[128];
  snprintf(msg, sizeof msg, "%s failed: %s (errno %d)", call, errno_name(err), err);
  napi_throw_error(env, errno_name(err), msg);
  return NULL;
}

/* Not redirected: no conntrack entry (ENOENT), or conntrack not loaded (ENOPROTOOPT). */
static int is_not_redirected(int err) {
  return err == ENOENT || err == ENOPROTOOPT || err == EOPNOTSUPP;
}

static napi_value make_result(napi_env env, const char *address, unsigned port) {
  napi_value obj, addr, num;
  if (napi_create_object(env, &obj) != napi_ok ||
      napi_create_string_utf8(env, address, NAPI_AUTO_LENGTH, &addr) != napi_ok ||
      napi_create_uint32(env, port, &num) != napi_ok ||
      napi_set_named_property(env, obj, "address", addr) != napi_ok ||
      napi_set_named_property(env, obj, "port", num) != napi_ok) {
    return NULL; /* a pending JS exception says why */
  }
  return obj;
}

static napi_value null_value(napi_env env) {
  napi_value result;
  napi_get_null(env, &result);
  return result;
}

#ifdef __linux__
/* IPv4, including an IPv6 socket carrying a v4-mapped connection (conntrack tracks it as
 * IPv4, and the kernel answers SOL_IP options on such sockets). */
static napi_value query_v4(napi_env env, int fd) {
  struct sockaddr_in dst;
  socklen_t len = sizeof dst;
  char text[INET_ADDRSTRLEN];

  memset(&dst, 0, sizeof dst);
  if (getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, &dst, &len) != 0) {
    return is_not_redirected(errno) ? null_value(env) : throw_errno(env, "getsockopt", errno);
  }
  if (len < sizeof dst || dst.sin_family != AF_INET ||
      inet_ntop(AF_INET, &dst.sin_addr, text, sizeof text) == NULL) {
    return throw_errno(env, "getsockopt", EINVAL);
  }
  return make_result(env, text, ntohs(dst.sin_port));
}

static napi_value query_v6(napi_env env, int fd) {
  struct sockaddr_in6 dst;
  socklen_t len = sizeof dst;
  char text[INET6_ADDRSTRLEN];

  memset(&dst, 0, sizeof dst);
  if (getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST, &dst, &len) != 0) {
    return is_not_redirected(errno) ? null_value(env) : throw_errno(env, "getsockopt", errno);
  }
  if (len < sizeof dst || dst.sin6_family != AF_INET6 ||
      inet_ntop(AF_INET6, &dst.sin6_addr, text, sizeof text) == NULL) {
    return throw_errno(env, "getsockopt", EINVAL);
  }
  return make_result(env, text, ntohs(dst.sin6_port));
}

/* Picks the query by the socket's own family, as seen by getsockname. */
static napi_value query(napi_env env, int fd) {
  struct sockaddr_storage local;
  socklen_t len = sizeof local;

  memset(&local, 0, sizeof local);
  if (getsockname(fd, (struct sockaddr *)&local, &len) != 0) {
    return throw_errno(env, "getsockname", errno);
  }
  if (local.ss_family == AF_INET) return query_v4(env, fd);
  if (local.ss_family != AF_INET6) return throw_errno(env, "getsockname", EAFNOSUPPORT);

  const struct sockaddr_in6 *six = (const struct sockaddr_in6 *)&local;
  return IN6_IS_ADDR_V4MAPPED(&six->sin6_addr) ? query_v4(env, fd) : query_v6(env, fd);
}
#else
static napi_value query(napi_env env, int fd) {
  (void)fd;
  return throw_errno(env, "originalDst", ENOSYS); /* conntrack exists only on Linux */
}
#endif

/* originalDst(fd: number): {address, port} | null */
static napi_value original_dst(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;

  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, "EINVAL", "originalDst expects a file descriptor (integer >= 0)");
    return NULL;
  }
  return query(env, fd);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "originalDst", NAPI_AUTO_LENGTH, original_dst, NULL, &fn) !=
          napi_ok ||
      napi_set_named_property(env, exports, "originalDst", fn) != napi_ok) {
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
