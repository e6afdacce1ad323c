// Buffers and paths that would dangle before the kernel uses them must not
// convert. CASE=0 shows the accepted forms.
#include <uring/ops.hpp>

#include <string>
#include <vector>

std::vector<char> make_vector();
std::string make_string();

void f(uring::fd file)
{
#if CASE == 0
    std::vector<char> v(16);
    std::string name = "x";
    uring::read op{file, v};
    uring::openat o{uring::cwd, name};
    (void)op;
    (void)o;
#elif CASE == 1
    uring::read op{file, make_vector()};
    (void)op;
#elif CASE == 2
    uring::openat o{uring::cwd, make_string()};
    (void)o;
#endif
}

int main() {}
