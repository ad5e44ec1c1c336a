// echopeer is a Go gRPC peer for the interop tests, written the way Go services use etcd's naming package:
//
//	echopeer server <name> <etcd-endpoint> <service>      registers 127.0.0.1:<port> under <service>/ with a lease
//	echopeer client <etcd-endpoint> <service> <calls>     dials etcd:///<service> through etcd's resolver
//
// The method is echo.Echo/Say with raw bytes on the wire (a pass-through codec), the same as the Java test
// apps' UTF-8 strings, so no protoc is needed on either side. The server answers with its name; the client
// prints "REPLY <name>" or "ERROR <message>" per call.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/clientv3/naming/endpoints"
	"go.etcd.io/etcd/clientv3/naming/resolver"
	"google.golang.org/grpc"
)

type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string   { return "proto" }
func (rawCodec) String() string { return "proto" }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: echopeer server|client ...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "server":
		serve(os.Args[2], os.Args[3], os.Args[4])
	case "client":
		calls, _ := strconv.Atoi(os.Args[4])
		call(os.Args[2], os.Args[3], calls)
	default:
		os.Exit(2)
	}
}

func etcdClient(endpoint string) *clientv3.Client {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 5 * time.Second})
	if err != nil {
		fmt.Println("ERROR etcd:", err)
		os.Exit(1)
	}
	return cli
}

func serve(name, endpoint, service string) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("ERROR listen:", err)
		os.Exit(1)
	}
	server := grpc.NewServer(grpc.CustomCodec(rawCodec{}))
	server.RegisterService(&grpc.ServiceDesc{
		ServiceName: "echo.Echo",
		HandlerType: (*interface{})(nil),
		Methods: []grpc.MethodDesc{{
			MethodName: "Say",
			Handler: func(srv interface{}, ctx context.Context, dec func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error) {
				var in []byte
				if err := dec(&in); err != nil {
					return nil, err
				}
				out := []byte(name)
				return &out, nil
			},
		}},
	}, struct{}{})
	go server.Serve(lis)

	addr := lis.Addr().String()
	cli := etcdClient(endpoint)
	lease, err := cli.Grant(context.Background(), 10)
	if err != nil {
		fmt.Println("ERROR grant:", err)
		os.Exit(1)
	}
	if _, err := cli.KeepAlive(context.Background(), lease.ID); err != nil {
		fmt.Println("ERROR keepalive:", err)
		os.Exit(1)
	}
	manager, err := endpoints.NewManager(cli, service)
	if err != nil {
		fmt.Println("ERROR manager:", err)
		os.Exit(1)
	}
	key := service + "/" + addr
	if err := manager.AddEndpoint(context.Background(), key, endpoints.Endpoint{Addr: addr}, clientv3.WithLease(lease.ID)); err != nil {
		fmt.Println("ERROR add endpoint:", err)
		os.Exit(1)
	}
	fmt.Printf("READY %s port=%d\n", name, lis.Addr().(*net.TCPAddr).Port)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	manager.DeleteEndpoint(context.Background(), key)
	server.GracefulStop()
	fmt.Println("STOPPED")
}

func call(endpoint, service string, calls int) {
	cli := etcdClient(endpoint)
	builder, err := resolver.NewBuilder(cli)
	if err != nil {
		fmt.Println("ERROR resolver:", err)
		os.Exit(1)
	}
	conn, err := grpc.Dial("etcd:///"+service, grpc.WithResolvers(builder), grpc.WithInsecure(),
		grpc.WithBalancerName("round_robin"), grpc.WithDefaultCallOptions(grpc.ForceCodec(rawCodec{})))
	if err != nil {
		fmt.Println("ERROR dial:", err)
		os.Exit(1)
	}
	fmt.Println("CLIENT-READY etcd:///" + service)
	for i := 0; i < calls; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		in := []byte("hi")
		var out []byte
		err := conn.Invoke(ctx, "/echo.Echo/Say", &in, &out, grpc.WaitForReady(true))
		cancel()
		if err != nil {
			fmt.Println("ERROR", err)
		} else {
			fmt.Println("REPLY", string(out))
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Println("CLIENT-DONE")
}
