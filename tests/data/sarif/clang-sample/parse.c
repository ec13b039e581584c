/* A small C file with bugs the clang static analyzer finds (tests/data/sarif/make.sh). */
#include <stdlib.h>
#include <string.h>

struct header {
  int length;
  char *name;
};

int ratio(int total, int parts) {
  int zero = 0;
  if (parts < 0)
    return total / zero;
  return parts ? total / parts : 0;
}

char *copy_name(const char *source) {
  char *name = malloc(strlen(source) + 1);
  strcpy(name, source);
  return name;
}

int header_length(struct header *h) {
  if (h == NULL) {
    return h->length;
  }
  return h->length;
}

int leak(int n) {
  char *buffer = malloc(n);
  if (n > 10)
    return -1;
  free(buffer);
  return 0;
}

int dead_store(int x) {
  int unused = x * 2;
  unused = 3;
  return x;
}
