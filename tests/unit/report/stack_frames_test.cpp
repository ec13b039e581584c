#include "report/stack_frames.h"

#include <doctest/doctest.h>
#include <string>

using tollgate::report::extract_frames;
using tollgate::report::Frame;
using Frames = std::vector<Frame>;

TEST_SUITE("report::stack_frames") {

  TEST_CASE("gcc and doctest locations are path:line and path:line:col") {
    CHECK(extract_frames("src/cart.cpp:12:5: error: no member named 'total'") ==
          Frames{{"src/cart.cpp", 12, ""}});
    CHECK(extract_frames("/work/tests/cart_test.cpp:13: ERROR: CHECK( a == b ) is NOT correct!") ==
          Frames{{"/work/tests/cart_test.cpp", 13, ""}});
  }

  TEST_CASE("go test output and pytest short traces are path:line") {
    CHECK(extract_frames("    cart_test.go:27: total = 41, want 42") ==
          Frames{{"cart_test.go", 27, ""}});
    CHECK(extract_frames("tests/test_x.py:14: AssertionError") ==
          Frames{{"tests/test_x.py", 14, ""}});
  }

  TEST_CASE("msvc and phpunit locations are path(line)") {
    CHECK(extract_frames(R"(C:\src\cart.cpp(42): error C2039)") ==
          Frames{{R"(C:\src\cart.cpp)", 42, ""}});
    CHECK(extract_frames("at /home/r/src/Paren.php(123)") ==
          Frames{{"/home/r/src/Paren.php", 123, ""}});
    CHECK(extract_frames(R"(C:\x\t.cpp(7,3): ERROR)") == Frames{{R"(C:\x\t.cpp)", 7, ""}});
  }

  TEST_CASE("node frames with and without a function name") {
    const std::string trace =
        "Error: boom\n"
        "    at Object.<anonymous> (/app/src/sum.test.js:10:21)\n"
        "    at /app/node_modules/jest-circus/build/utils.js:298:28\n"
        "    at new Promise (<anonymous>)\n"
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
        "    at TestContext.<anonymous> (file:///work/t/sample.test.mjs:19:12)\n";
    CHECK(extract_frames(trace) == Frames{{"/app/src/sum.test.js", 10, ""},
                                          {"/app/node_modules/jest-circus/build/utils.js", 298, ""},
                                          {"/work/t/sample.test.mjs", 19, ""}});
  }

  TEST_CASE("windows node frames keep the drive letter") {
    CHECK(extract_frames(
              R"(    at Object.<anonymous> (C:\Users\m\jest\__tests__\main.test.js:10:21))") ==
          Frames{{R"(C:\Users\m\jest\__tests__\main.test.js)", 10, ""}});
  }

  TEST_CASE("java frames name the file and the package path") {
    const std::string trace =
        "java.lang.AssertionError: expected 2\n"
        "\tat org.junit.Assert.fail(Assert.java:89)\n"
        "\tat com.acme.shop.CartTest$Inner.lambda$total$0(CartTest.java:27)\n"
        "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n"
        "\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)\n"
        "\tat corrupt.core.Main.initAndRun(Main.kt)\n"
        "\tat MainKt.main(Main.kt:3)\n";
    CHECK(extract_frames(trace) == Frames{{"Assert.java", 89, "org/junit/Assert.java"},
                                          {"CartTest.java", 27, "com/acme/shop/CartTest.java"},
                                          {"Method.java", 580, "java/lang/reflect/Method.java"},
                                          {"Main.kt", 3, ""}});
  }

  TEST_CASE("python tracebacks use File \"path\", line N") {
    const std::string trace = "Traceback (most recent call last):\n"
                              "  File \"/src/tests/test_lib.py\", line 24, in test_always_fail\n"
                              "    self.fail(\"failed\")\n"
                              "  File \"<frozen importlib._bootstrap>\", line 241, in _call\n"
                              "AssertionError: failed\n";
    CHECK(extract_frames(trace) == Frames{{"/src/tests/test_lib.py", 24, ""}});
  }

  TEST_CASE(".NET frames use 'in path:line N'") {
    const std::string trace =
        "   at Shop.Cart.Div(Int32 a) in C:\\Work Dir\\Shop\\Cart.cs:line 9\r\n"
        "   at Shop.Tests.CartTests.Total() in /home/runner/work/shop/tests/CartTests.cs:line "
        "27\r\n"
        "   at System.RuntimeMethodHandle.InvokeMethod(Object target)\r\n";
    CHECK(extract_frames(trace) == Frames{{"C:\\Work Dir\\Shop\\Cart.cs", 9, ""},
                                          {"/home/runner/work/shop/tests/CartTests.cs", 27, ""}});
  }

  TEST_CASE("php, rust and catch2 locations") {
    CHECK(extract_frames("/home/runner/work/repo/src/Fake.php:42") ==
          Frames{{"/home/runner/work/repo/src/Fake.php", 42, ""}});
    CHECK(extract_frames("thread 'x' panicked at tests/parry3d.rs:154:5:") ==
          Frames{{"tests/parry3d.rs", 154, ""}});
    CHECK(extract_frames("at /__w/f/f/test/unit/is_constant.cpp:19") ==
          Frames{{"/__w/f/f/test/unit/is_constant.cpp", 19, ""}});
  }

  TEST_CASE("urls, times, versions and method calls are not frames") {
    CHECK(extract_frames("GET http://example.com:8080/x.js:12 failed").empty());
    CHECK(extract_frames("at 12:30:45 the server example.com:443 refused").empty());
    CHECK(extract_frames("expected Array.from(1) to equal v1.2.3:4").empty());
    CHECK(extract_frames("line 0: file.py:0 is not a line").empty());
  }

  TEST_CASE("several frames on one line come in order") {
    CHECK(extract_frames("a.c:1: note: from b.h:2:") == Frames{{"a.c", 1, ""}, {"b.h", 2, ""}});
  }

  TEST_CASE("frames are capped and overlong lines skipped") {
    std::string many;
    for (int i = 1; i <= 500; ++i)
      many += "x.cpp:" + std::to_string(i) + ": error\n";
    const Frames frames = extract_frames(many);
    REQUIRE(frames.size() == tollgate::report::k_max_frames);
    CHECK(frames.back().line == 200);
    const std::string overlong = std::string(70 * 1024, 'a') + " y.cpp:3:\nz.cpp:4:";
    CHECK(extract_frames(overlong) == Frames{{"z.cpp", 4, ""}});
  }

  TEST_CASE("hostile input stays linear") {
    std::string hostile;
    for (int i = 0; i < 12000; ++i)
      hostile += "a.x:1";
    hostile += '\n';
    std::string text;
    for (int i = 0; i < 50; ++i)
      text += hostile;
    CHECK(extract_frames(text).empty());
  }

  TEST_CASE("extraction stops at the frames asked for: the first ones, in order") {
    std::string trace = "java.lang.AssertionError: boom\n";
    for (int k = 1; k <= 50; ++k)
      trace += "\tat com.acme.Layer" + std::to_string(k) + ".call(Layer" + std::to_string(k) + ".java:" +
               std::to_string(k) + ")\n";
    const Frames all = extract_frames(trace);
    REQUIRE(all.size() == 50);
    const Frames first = extract_frames(trace, 3);
    CHECK(first == Frames(all.begin(), all.begin() + 3));
    CHECK(extract_frames(trace, 0).empty());
    CHECK(extract_frames(trace, 1000).size() == 50);
  }

} // TEST_SUITE
