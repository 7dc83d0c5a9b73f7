# Builds the one native piece Mitsu needs: reading a redirected socket's original destination.
# Built from source by `npm run build:native`; nothing is downloaded.
{
  "targets": [
    {
      "target_name": "original_dst",
      "sources": ["original_dst.c"],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-Wall", "-Wextra", "-Werror=implicit-function-declaration"]
    }
  ]
}
