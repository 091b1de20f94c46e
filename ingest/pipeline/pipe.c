/* pipe.c - the producer/consumer queue of batches (see pipe.h). */
#include "pipe.h"

enum pk_status pk_pipe_init(struct pk_pipe *p)
{
	*p = (struct pk_pipe){ 0 };
	if (pthread_mutex_init(&p->mu, NULL) != 0)
		return PK_ERR_NOMEM;
	if (pthread_cond_init(&p->cv, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		return PK_ERR_NOMEM;
	}
	for (int i = 0; i < PK_PIPE_BATCHES; i++)
		p->is_free[i] = 1;
	return PK_OK;
}

void pk_pipe_destroy(struct pk_pipe *p)
{
	for (int i = 0; i < PK_PIPE_BATCHES; i++)
		pk_buf_free(&p->batch[i].bytes);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
}

struct pk_batch *pk_pipe_take(struct pk_pipe *p)
{
	struct pk_batch *b = NULL;
	pthread_mutex_lock(&p->mu);
	while (!p->aborted) {
		for (int i = 0; i < PK_PIPE_BATCHES && !b; i++)
			if (p->is_free[i]) {
				p->is_free[i] = 0;
				b = &p->batch[i];
			}
		if (b)
			break;
		pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	if (b)
		pk_batch_clear(b);
	return b;
}

void pk_pipe_push(struct pk_pipe *p, struct pk_batch *b)
{
	pthread_mutex_lock(&p->mu);
	p->queue[p->nqueued++] = (int)(b - p->batch);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void pk_pipe_done(struct pk_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->producer_done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

struct pk_batch *pk_pipe_pop(struct pk_pipe *p)
{
	struct pk_batch *b = NULL;
	pthread_mutex_lock(&p->mu);
	while (!p->nqueued && !p->producer_done)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->nqueued) {
		b = &p->batch[p->queue[0]];
		for (int i = 1; i < p->nqueued; i++)
			p->queue[i - 1] = p->queue[i];
		p->nqueued--;
	}
	pthread_mutex_unlock(&p->mu);
	return b;
}

void pk_pipe_give_back(struct pk_pipe *p, struct pk_batch *b)
{
	pthread_mutex_lock(&p->mu);
	p->is_free[b - p->batch] = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void pk_pipe_abort(struct pk_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->aborted = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}
