#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* Helpers added on the pull request: every line below moved down. */
static int twice(int x) { return 2 * x; }

int leak(int n) {
  char *p = malloc(n);
  if (n > 10) return 1;
  free(p);
  return twice(0);
}

int divide(int a) {
  int z = 0;
  return a / (z + 1);
}

int deref(void) {
  int *q = NULL;
  return *q;
}

int use_after_free(void) {
  int *r = malloc(sizeof *r);
  free(r);
  return *r;
}
