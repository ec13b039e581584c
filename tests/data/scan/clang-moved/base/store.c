#include <stdlib.h>
#include <string.h>

int leak(int n) {
  char *p = malloc(n);
  if (n > 10) return 1;
  free(p);
  return 0;
}

int divide(int a) {
  int z = 0;
  return a / z;
}

int deref(void) {
  int *q = NULL;
  return *q;
}
