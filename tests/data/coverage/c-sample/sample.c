#include <stdio.h>
#include <stdlib.h>

static int classify(int n) {
  if (n < 0) return -1;
  if (n == 0 || n > 100) return 0;
  return 1;
}

static int never_called(int n) {
  int sum = 0;
  for (int i = 0; i < n; ++i) sum += i;
  return sum;
}

int main(int argc, char** argv) {
  int total = 0;
  for (int i = 1; i < argc; ++i) total += classify(atoi(argv[i]));
  if (argc > 5) total += never_called(argc);
  printf("%d\n", total);
  return 0;
}
